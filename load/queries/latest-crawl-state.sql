-- latest-crawl-state: where a source's crawl in a run starts: the newest crawl of the source by another run (so that
-- a crawl retried within its run starts where its first attempt did).
-- Parameters: $source_id, $run_id. Returns at most one row: run_id, crawled_at (ISO 8601, UTC), state_version, pages, checks (JSON text).
select run_id, strftime(crawled_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') as crawled_at, state_version, cast(pages as varchar) as pages, cast(checks as varchar) as checks
  from crawl_states
 where source_id = $source_id and run_id <> $run_id
 order by crawled_at desc
 limit 1;
