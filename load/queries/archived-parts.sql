-- archived-parts: the archived pages of every multi-page article, in page order (document_parts, from 0006).
-- Parameters: none. Returns sha256 (the article's), url, part_sha256, byte_length, content_type, archive_path.
select sha256, url, part_sha256, byte_length, content_type, archive_path from document_parts order by sha256, part;
