-- ui-recent-runs: the latest recorded runs for the UI's runs page, newest first.
-- Parameters: $limit (integer). Returns run_id, status, started_at and finished_at (ISO 8601 text, UTC; finished_at
-- may be NULL), summary (the run's counters as JSON text, e.g. {"fetch:completed": 12, "failures:HTTP_404": 1}).
select run_id, status,
       strftime(started_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as started_at,
       strftime(finished_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as finished_at,
       cast(summary as varchar) as summary
  from crawl_runs
 order by started_at desc, run_id desc
 limit $limit;
