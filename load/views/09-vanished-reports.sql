-- vanished_reports: document URLs a portal stopped listing and has not listed again.
create or replace view vanished_reports as
with last_notice as (
  select url, source_id, max(noticed_at) as noticed_at, arg_max(run_id, noticed_at) as run_id, count(*) as notices
    from document_disappearances
   group by url, source_id
), last_return as (
  select url, source_id, max(noticed_at) as noticed_at
    from document_reappearances
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
  left join last_loaded l using (url)
 where not exists (
   select 1 from last_return b where b.url = n.url and b.source_id = n.source_id and b.noticed_at > n.noticed_at
 );

comment on view vanished_reports is 'Each document URL its portal stopped listing and has not listed again since: the latest run that noticed it missing, and the report last loaded from it (NULLs when none was).';
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
