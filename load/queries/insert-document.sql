-- insert-document: records a document update-document did not find.
-- Parameters: $sha256, $format, $byte_length, $content_type, $extractor_version, $title, $archive_path,
--             $fetched_at (ISO 8601, the first sighting). Returns nothing.
insert into documents (sha256, format, byte_length, content_type, extractor_version, title, archive_path, first_seen_at)
values ($sha256, $format, $byte_length, $content_type, $extractor_version, $title, $archive_path,
        cast($fetched_at as timestamptz));
