-- ui-source-history: a source's health in each run that crawled it, for the UI's source page.
-- Parameters: $source_id (text), $limit (integer). Returns run_id, started_at (ISO 8601 text, UTC), pages_fetched,
-- reports_found, new_documents, changed, blocked, errors (integers), flagged (boolean), note; newest first.
select h.run_id, strftime(r.started_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as started_at,
       h.pages_fetched, h.reports_found, h.new_documents, h.changed, h.blocked, h.errors, h.flagged, h.note
  from source_health h
  join crawl_runs r using (run_id)
 where h.source_id = $source_id
 order by r.started_at desc, h.run_id desc
 limit $limit;
