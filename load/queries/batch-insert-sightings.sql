-- batch-insert-sightings: where and when each staged document was seen: a sighting already recorded
-- (same sha256, url, run_id) is ignored; published_at that is no date is stored as NULL.
-- No parameters (staged_sightings holds each key once); returns nothing.
insert into document_sightings
  (sha256, source_id, url, final_url, title, published_at, fetched_at, status, etag, last_modified, run_id)
select s.sha256, s.source_id, s.url, s.final_url, s.title, try_cast(s.published_at as date),
       cast(s.fetched_at as timestamptz), s.status, s.etag, s.last_modified, s.run_id
  from staged_sightings s
 where not exists (select 1 from document_sightings d where d.sha256 = s.sha256 and d.url = s.url and d.run_id = s.run_id);
