-- ui-source: one crawled source for the UI's source page.
-- Parameters: $source_id (text). Returns at most one row: source_id, name, region_code, level, first_seen_at
-- (ISO 8601 text, UTC), documents (integer: distinct documents sighted from it), reports (integer: reports first
-- loaded from it).
select s.source_id, s.name, s.region_code, s.level,
       strftime(s.first_seen_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as first_seen_at,
       cast((select count(distinct sha256) from document_sightings g where g.source_id = s.source_id) as integer) as documents,
       cast((select count(*) from reports r where r.source_id = s.source_id and r.is_report) as integer) as reports
  from sources s
 where s.source_id = $source_id;
