-- document_urls: every URL a document was seen at.
-- every URL a document was seen at
create or replace view document_urls as
select sha256, url, final_url, source_id,
       min(fetched_at) as first_seen_at, max(fetched_at) as last_seen_at, count(*) as sightings,
       min(published_at) as published_at
  from document_sightings
 group by sha256, url, final_url, source_id;

comment on view document_urls is 'Every URL a document was seen at, with first and last sighting.';
