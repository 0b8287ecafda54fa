-- 0005-disappeared-documents: documents a portal no longer lists. Nothing is deleted when a report vanishes from its
-- portal: the crawl notices that a URL of its previous crawl is gone, and the run records the notice here.
--   tables  document_disappearances
--   (the view vanished_reports is in load/views/)

create table document_disappearances (
  url        varchar not null,             -- the document's URL as discovered (document_sightings.url)
  source_id  varchar not null,             -- the portal that no longer lists it
  run_id     varchar not null,             -- the run whose crawl noticed it (crawl_runs.run_id)
  noticed_at timestamptz not null,         -- when that crawl ran
  primary key (url, source_id, run_id)
);

comment on table document_disappearances is 'A document (report page or attachment) that a crawl no longer found on its portal, one row per run that noticed it.';
comment on column document_disappearances.url is 'the URL as discovered (document_sightings.url)';
comment on column document_disappearances.source_id is 'the portal that no longer lists it';
comment on column document_disappearances.run_id is 'the crawl run that noticed it (crawl_runs.run_id)';
comment on column document_disappearances.noticed_at is 'when the noticing crawl ran';

