-- ui-document-sightings: where and when a document was found, for the UI's document page.
-- Parameters: $sha256 (text). Returns source_id, source_name (may be NULL), url, final_url, title, published_at
-- (YYYY-MM-DD text or NULL), fetched_at (ISO 8601 text, UTC), status (integer), run_id; latest first.
select g.source_id, s.name as source_name, g.url, g.final_url, g.title,
       strftime(g.published_at, '%Y-%m-%d') as published_at,
       strftime(g.fetched_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as fetched_at, g.status, g.run_id
  from document_sightings g
  left join sources s using (source_id)
 where g.sha256 = $sha256
 order by g.fetched_at desc, g.url;
