-- lookup-sighting: the latest sighting of a URL with its validators, for a conditional re-fetch, and whether some
-- parse of the document it found was an annual report (so that an unchanged report still counts as found).
-- Parameters: $url. Returns at most one row: sha256, etag, last_modified, is_report.
with latest as (
  select sha256, etag, last_modified
  from document_sightings
  where url = $url and status between 200 and 299
  order by fetched_at desc
  limit 1
)
select l.sha256, l.etag, l.last_modified,
       coalesce((select bool_or(r.is_report) from reports r where r.sha256 = l.sha256), false) as is_report
from latest l;
