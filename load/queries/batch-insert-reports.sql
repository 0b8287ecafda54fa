-- batch-insert-reports: the staged parses not loaded yet (a non-report too, with is_report false);
-- loaded_at defaults to now(). No parameters (staged_reports holds each report_id once); returns nothing.
insert into reports
  (report_id, sha256, parser_version, is_report, issuer, region_name, region_code, level, year, format, title,
   source_id, url, published_at, run_id)
select s.report_id, s.sha256, s.parser_version, s.is_report, s.issuer, s.region_name, s.region_code, s.level, s.year,
       s.format, s.title, s.source_id, s.url, try_cast(s.published_at as date), s.run_id
  from staged_reports s
 where not exists (select 1 from reports r where r.report_id = s.report_id);
