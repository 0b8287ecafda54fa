-- batch-insert-failures: the staged failures not recorded yet (failed_at now, resolved false), each (run, stage, URL)
-- once: the key the queue gives the job recording it. No parameters (staged_failures holds each key once).
insert into failures (run_id, stage, source_id, url, sha256, code, reason)
select s.run_id, s.stage, s.source_id, s.url, s.sha256, s.code, s.reason
  from staged_failures s
 where not exists (select 1 from failures f where f.run_id = s.run_id and f.stage = s.stage and f.url = s.url);
