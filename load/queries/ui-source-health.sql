-- ui-source-health: per-source health of the latest runs, for the UI's runs page.
-- Parameters: $limit (integer: how many of the latest runs). Returns run_id, source_id, name (the sources table's,
-- may be NULL), pages_fetched, reports_found, new_documents, changed, blocked, errors (integers), flagged (boolean),
-- note; newest run first, then by source.
with recent as (select run_id, started_at from crawl_runs order by started_at desc, run_id desc limit $limit)
select h.run_id, h.source_id, s.name, h.pages_fetched, h.reports_found, h.new_documents, h.changed, h.blocked, h.errors,
       h.flagged, h.note
  from source_health h
  join recent r using (run_id)
  left join sources s using (source_id)
 order by r.started_at desc, h.run_id desc, h.flagged desc, h.source_id;
