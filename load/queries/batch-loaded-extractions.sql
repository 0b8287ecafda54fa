-- batch-loaded-extractions: the extraction whose tables and text are loaded, for each document of staged_documents.
-- No parameters; returns sha256, extractor_version (documents never loaded have no row).
select e.sha256, e.extractor_version
  from document_extractions e
 where e.sha256 in (select sha256 from staged_documents);
