-- batch-existing-failures: which staged failures (run, stage, URL) the failures table holds already.
-- No parameters; returns run_id, stage, url.
select f.run_id, f.stage, f.url
  from failures f
  join staged_failures s on f.run_id = s.run_id and f.stage = s.stage and f.url = s.url;
