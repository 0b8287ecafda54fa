-- ui-warehouse-health: how much the warehouse holds, for the UI's health page.
-- Parameters: none. Returns one row: runs (integer: recorded runs), reports (integer: annual reports as latest_reports
-- believes them), failures (integer: unresolved failures), last_run_at (ISO 8601 text, UTC, or NULL: the latest run's start).
select cast((select count(*) from crawl_runs) as integer) as runs,
       cast((select count(*) from latest_reports) as integer) as reports,
       cast((select count(*) from failures where not resolved) as integer) as failures,
       (select strftime(max(started_at) at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') from crawl_runs) as last_run_at;
