-- 0005-disappeared-documents: documents a portal no longer lists. Nothing is deleted when a report vanishes from its
-- portal: the crawl notices that a URL of its previous crawl is gone, and the run records the notice here.
--   tables  document_disappearances
--   views   vanished_reports (each vanished URL, its latest notice, and what was last loaded from it)

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

-- each vanished URL once (its latest notice) with the newest report loaded from it, when there is one
create or replace view vanished_reports as
with last_notice as (
  select url, source_id, max(noticed_at) as noticed_at, arg_max(run_id, noticed_at) as run_id, count(*) as notices
    from document_disappearances
   group by url, source_id
), last_loaded as (
  select s.url, r.report_id, r.sha256, r.is_report, r.issuer, r.year, r.title
    from document_sightings s
    join reports r on r.sha256 = s.sha256
 qualify row_number() over (partition by s.url order by s.fetched_at desc, r.loaded_at desc) = 1
)
select n.url, n.source_id, n.noticed_at, n.run_id, n.notices,
       l.is_report, l.issuer, l.year, l.title, l.report_id, l.sha256
  from last_notice n
  left join last_loaded l using (url);

comment on view vanished_reports is 'Each document URL its portal stopped listing: the latest run that noticed it, and the report last loaded from it (NULLs when none was).';
comment on column vanished_reports.url is 'the document URL no longer listed';
comment on column vanished_reports.source_id is 'the portal that stopped listing it';
comment on column vanished_reports.noticed_at is 'when the latest crawl that noticed it ran';
comment on column vanished_reports.run_id is 'that crawl''s run (crawl_runs.run_id)';
comment on column vanished_reports.notices is 'how many runs have noticed it missing';
comment on column vanished_reports.is_report is 'the document last loaded from the URL is an annual report; NULL when none was loaded';
comment on column vanished_reports.issuer is 'of the report last loaded from the URL';
comment on column vanished_reports.year is 'the year that report covers';
comment on column vanished_reports.title is 'that report''s title';
comment on column vanished_reports.report_id is 'reports.report_id of that report (it is kept, not deleted)';
comment on column vanished_reports.sha256 is 'documents.sha256 of the bytes last loaded from the URL';
