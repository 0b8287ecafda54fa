-- ui-failure-counts: the recorded failures of the latest runs, counted by stage and code, for the UI's runs page.
-- Parameters: $limit (integer: how many of the latest runs). Returns run_id, stage, code, failures (integer), and
-- unresolved (integer: those not yet marked resolved), most frequent first within a run.
with recent as (select run_id from crawl_runs order by started_at desc, run_id desc limit $limit)
select f.run_id, f.stage, f.code,
       cast(count(*) as integer) as failures,
       cast(count(*) filter (where not f.resolved) as integer) as unresolved
  from failures f join recent using (run_id)
 group by f.run_id, f.stage, f.code
 order by f.run_id, failures desc, f.stage, f.code;
