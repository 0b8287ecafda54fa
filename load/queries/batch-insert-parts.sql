-- batch-insert-parts: the pages of the batch's multi-page articles; a page already recorded is left as it is.
-- No parameters (staged_parts holds each (sha256, part) once); returns nothing.
insert into document_parts (sha256, part, url, part_sha256, byte_length, content_type, archive_path)
select sha256, part, url, part_sha256, byte_length, content_type, archive_path from staged_parts
on conflict do nothing;
