-- last-source-health: a source's health in its most recent earlier run (another run than $run_id).
-- Parameters: $source_id, $run_id. Returns at most one row: run_id, reports_found, pages_fetched.
select h.run_id, h.reports_found, h.pages_fetched
from source_health h join crawl_runs r on r.run_id = h.run_id
where h.source_id = $source_id and h.run_id <> $run_id
order by r.started_at desc
limit 1;
