-- upsert-document: records a fetched document, or refreshes what the latest extraction says about it.
-- Parameters: $sha256, $format, $byte_length, $content_type, $extractor_version, $title, $archive_path,
--             $fetched_at (ISO 8601). first_seen_at keeps the earliest sighting. Returns nothing.
insert into documents (sha256, format, byte_length, content_type, extractor_version, title, archive_path, first_seen_at)
values ($sha256, $format, $byte_length, $content_type, $extractor_version, $title, $archive_path,
        cast($fetched_at as timestamptz))
on conflict (sha256) do update set
  format            = excluded.format,
  byte_length       = excluded.byte_length,
  content_type      = coalesce(excluded.content_type, content_type),
  extractor_version = excluded.extractor_version,
  title             = coalesce(excluded.title, title),
  archive_path      = excluded.archive_path,
  first_seen_at     = least(first_seen_at, excluded.first_seen_at);
