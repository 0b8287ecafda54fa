-- insert-sighting: where and when a document was seen; a second sighting of the same (sha256, url, run_id) is
-- ignored. Parameters: $sha256, $source_id, $url, $final_url, $title, $published_at (YYYY-MM-DD or NULL; anything
-- else is stored as NULL), $fetched_at (ISO 8601), $status, $etag, $last_modified, $run_id. Returns nothing.
-- `where not exists` rather than `on conflict do nothing`: the same effect for the single writer, at less cost.
insert into document_sightings
  (sha256, source_id, url, final_url, title, published_at, fetched_at, status, etag, last_modified, run_id)
select $sha256, $source_id, $url, $final_url, $title, try_cast($published_at as date),
       cast($fetched_at as timestamptz), $status, $etag, $last_modified, $run_id
 where not exists (select 1 from document_sightings where sha256 = $sha256 and url = $url and run_id = $run_id);
