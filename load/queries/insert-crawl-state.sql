-- insert-crawl-state: a source's crawl in a run; recording it again (the job re-run) replaces it.
-- Parameters: $source_id, $run_id, $crawled_at (ISO 8601), $state_version, $pages and $checks (JSON text), and the
-- counts $pages_fetched, $pages_not_modified, $pages_skipped, $discovered, $disappeared, $errors, $blocked.
insert or replace into crawl_states (source_id, run_id, crawled_at, state_version, pages, checks, pages_fetched,
                                     pages_not_modified, pages_skipped, discovered, disappeared, errors, blocked)
values ($source_id, $run_id, cast($crawled_at as timestamptz), $state_version, cast($pages as json), cast($checks as json),
        $pages_fetched, $pages_not_modified, $pages_skipped, $discovered, $disappeared, $errors, $blocked);
