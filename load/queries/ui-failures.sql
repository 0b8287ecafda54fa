-- ui-failures: recorded failures for the UI's failures page, newest first, optionally narrowed.
-- Parameters: $run_id, $code, $source_id, $sha256 (text or NULL: NULL does not narrow), $limit (integer).
-- Returns failed_at (ISO 8601 text, UTC), run_id, stage, source_id, source_name (may be NULL), code, reason, url,
-- sha256 (NULL when the failure came before the bytes were archived), archived (boolean: the documents table
-- holds that sha256), resolved (boolean).
select strftime(f.failed_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as failed_at,
       f.run_id, f.stage, f.source_id, s.name as source_name, f.code, f.reason, f.url, f.sha256,
       d.sha256 is not null as archived, f.resolved
  from failures f
  left join sources s on s.source_id = f.source_id
  left join documents d on d.sha256 = f.sha256
 where ($run_id is null or f.run_id = $run_id)
   and ($code is null or f.code = $code)
   and ($source_id is null or f.source_id = $source_id)
   and ($sha256 is null or f.sha256 = $sha256)
 order by f.failed_at desc, f.url
 limit $limit;
