-- newest_parses(): each document's newest parse — numeric segments of the parser version compared as numbers, so
-- 1.10 > 1.9 — the reports rows the views believe in.
-- owned_reports(): the newest parses some sighting of which comes from a source that speaks for the report's region
-- (the catalog's gov-<region code> portal, or a source whose declared regionCode is the report's).
-- Table macros, not views: one definition of each rule for latest_reports and report_conflicts, and not a relation
-- of their own for users.
create or replace macro newest_parses() as table
  select r.*
    from reports r
 qualify row_number() over (
           partition by r.sha256
           order by list_transform(regexp_extract_all(r.parser_version, '\d+'), x -> cast(x as bigint)) desc,
                    r.parser_version desc, r.loaded_at desc) = 1;

create or replace macro owned_reports() as table
  select distinct p.report_id
    from newest_parses() p
    join document_sightings s on s.sha256 = p.sha256
    left join sources src on src.source_id = s.source_id
   where s.source_id = 'gov-' || p.region_code or src.region_code = p.region_code;
