-- latest_reports: one row per (issuer, year): the report to believe among every document and parser version.
-- A document served by the source that speaks for the report's region (the catalog's gov-<region code> portal, or a
-- source whose declared regionCode is the report's) is believed before any other: a copy served elsewhere never
-- takes its place (report_conflicts lists the disagreements for review).
--   latest_reports  one row per (issuer, year): the report to believe among every document and parser version
--   report_summary  one row per latest report, with the headline figures of tables 三 and 四
--   table3_wide     one row per latest report and table-三 row, the seven applicant columns as columns
--   traced_cells    every figure of the latest reports with where it was read (document, page, table slot)
create or replace view latest_reports as
select r.report_id, r.sha256, r.parser_version, r.issuer, r.region_name, r.region_code, r.level, r.year,
       r.format, r.title, r.url, r.published_at, r.source_id, r.loaded_at,
       d.format as document_format, d.archive_path, o.report_id is not null as from_owner
  from newest_parses() r
  join documents d using (sha256)
  left join owned_reports() o using (report_id)
 where r.is_report and r.format in ('2019', '2021') and r.issuer is not null and r.year is not null
qualify row_number() over (
          partition by r.issuer, r.year
          -- the owner's word first; HTML tables are more faithful than tables recovered from a PDF's layout
          order by (o.report_id is not null) desc, r.published_at desc nulls last, (d.format = 'html') desc, r.loaded_at desc, r.report_id) = 1;

comment on view latest_reports is 'The report to believe, one row per (issuer, year): the owning source''s first, then newest parser version, newest publication, HTML over PDF.';
comment on column latest_reports.from_owner is 'served by a source that speaks for the report''s region (the catalog''s gov-<code> portal, or a source declaring that regionCode)';
