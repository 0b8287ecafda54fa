-- insert-report: one parse of one document (a non-report too, with is_report false).
-- Parameters: $report_id, $sha256, $parser_version, $is_report, $issuer, $region_name, $region_code, $level,
--             $year, $format, $title, $source_id, $url, $published_at (YYYY-MM-DD or NULL), $run_id.
-- loaded_at defaults to now(). Returns nothing; the caller checks first that report_id is new.
insert into reports
  (report_id, sha256, parser_version, is_report, issuer, region_name, region_code, level, year, format, title,
   source_id, url, published_at, run_id)
values ($report_id, $sha256, $parser_version, $is_report, $issuer, $region_name, $region_code, $level,
        cast($year as integer), $format, $title, $source_id, $url, try_cast($published_at as date), $run_id);
