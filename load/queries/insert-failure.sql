-- insert-failure: a job that failed for good. failed_at defaults to now(), resolved to false.
-- Parameters: $run_id, $stage, $source_id, $url, $sha256, $code, $reason.
insert into failures (run_id, stage, source_id, url, sha256, code, reason)
values ($run_id, $stage, $source_id, $url, $sha256, $code, $reason);
