-- ui-document: one archived document for the UI's document page.
-- Parameters: $sha256 (text). Returns at most one row: sha256, title, format, content_type, byte_length (integer),
-- archive_path, first_seen_at (ISO 8601 text, UTC), engine, engine_fallback.
select sha256, title, format, content_type, cast(byte_length as integer) as byte_length, archive_path,
       strftime(first_seen_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as first_seen_at, engine, engine_fallback
  from documents
 where sha256 = $sha256;
