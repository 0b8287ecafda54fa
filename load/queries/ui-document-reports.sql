-- ui-document-reports: what the parser made of a document, for the UI's document page.
-- Parameters: $sha256 (text). Returns parser_version, is_report (boolean), issuer, region_name, level, year (integer),
-- format (the template: 2019 | 2021 | pre2019), anomalies (integer); newest parser first.
select r.parser_version, r.is_report, r.issuer, r.region_name, r.level, r.year, r.format,
       cast((select count(*) from anomalies a where a.report_id = r.report_id) as integer) as anomalies
  from reports r
 where r.sha256 = $sha256
 order by r.parser_version desc;
