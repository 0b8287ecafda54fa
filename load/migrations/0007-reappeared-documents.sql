-- 0007-reappeared-documents: documents a portal lists again after they vanished. The crawl notices URLs its
-- previous crawl did not know; the run records those that have a disappearance on record, and vanished_reports
-- stops listing a URL once it has come back (it lists it again if it vanishes again later).
--   tables  document_reappearances
--   (vanished_reports, in load/views/, leaves out the URLs that came back after their latest disappearance)

create table document_reappearances (
  url        varchar not null,             -- the document's URL (document_disappearances.url)
  source_id  varchar not null,             -- the portal that lists it again
  run_id     varchar not null,             -- the run whose crawl noticed it (crawl_runs.run_id)
  noticed_at timestamptz not null,         -- when that crawl ran
  primary key (url, source_id, run_id)
);

comment on table document_reappearances is 'A vanished document (one with a document_disappearances row) that a crawl found listed on its portal again, one row per run that noticed it.';
comment on column document_reappearances.url is 'the URL as discovered (document_disappearances.url)';
comment on column document_reappearances.source_id is 'the portal that lists it again';
comment on column document_reappearances.run_id is 'the crawl run that noticed it (crawl_runs.run_id)';
comment on column document_reappearances.noticed_at is 'when the noticing crawl ran';

