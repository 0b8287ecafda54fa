-- batch-insert-documents: records the documents of staged_documents not recorded yet. No parameters; returns nothing.
insert into documents (sha256, format, byte_length, content_type, extractor_version, title, archive_path, first_seen_at,
                       engine, engine_fallback)
select s.sha256, s.format, s.byte_length, s.content_type, s.extractor_version, s.title, s.archive_path,
       cast(s.fetched_at as timestamptz), s.engine, s.engine_fallback
  from staged_documents s
 where not exists (select 1 from documents d where d.sha256 = s.sha256);
