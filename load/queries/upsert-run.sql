-- upsert-run: a crawl run's outcome; recording the same run again replaces it.
-- Parameters: $run_id, $status, $started_at, $finished_at (ISO 8601, finished_at may be NULL), $summary (JSON text).
insert or replace into crawl_runs (run_id, status, started_at, finished_at, summary)
values ($run_id, $status, cast($started_at as timestamptz), cast($finished_at as timestamptz), cast($summary as json));
