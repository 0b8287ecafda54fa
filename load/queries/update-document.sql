-- update-document: refreshes what the latest extraction says about a document already recorded; returns its sha256,
-- or no row when the document is new (insert-document then records it). Two statements rather than one
-- `insert … on conflict do update`, which costs DuckDB several times as much for every load.
-- Parameters: $sha256, $format, $byte_length, $content_type, $extractor_version, $title, $archive_path,
--             $fetched_at (ISO 8601). first_seen_at keeps the earliest sighting.
update documents set
  format            = $format,
  byte_length       = $byte_length,
  content_type      = coalesce($content_type, content_type),
  extractor_version = $extractor_version,
  title             = coalesce($title, title),
  archive_path      = $archive_path,
  first_seen_at     = least(first_seen_at, cast($fetched_at as timestamptz))
where sha256 = $sha256
returning sha256;
