-- lookup-sighting: the latest sighting of a URL with its validators, for a conditional re-fetch.
-- Parameters: $url. Returns at most one row: sha256, etag, last_modified.
select sha256, etag, last_modified
from document_sightings
where url = $url and status between 200 and 299
order by fetched_at desc
limit 1;
