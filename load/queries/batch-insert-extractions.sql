-- batch-insert-extractions: which extraction of each staged document is now loaded (loaded_at defaults to now()).
-- No parameters; returns nothing.
insert into document_extractions (sha256, extractor_version, pages, tables, lines)
select sha256, extractor_version, pages, tables, lines from staged_extractions;
