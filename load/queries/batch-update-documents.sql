-- batch-update-documents: refreshes the documents of staged_documents already recorded (the batch's
-- rows are merged per sha256 beforehand, in queue order). first_seen_at keeps the earliest sighting.
-- No parameters; returns nothing.
update documents set
  format            = s.format,
  byte_length       = s.byte_length,
  content_type      = coalesce(s.content_type, documents.content_type),
  extractor_version = s.extractor_version,
  engine            = s.engine,
  engine_fallback   = s.engine_fallback,
  title             = coalesce(s.title, documents.title),
  archive_path      = s.archive_path,
  first_seen_at     = least(documents.first_seen_at, cast(s.fetched_at as timestamptz))
from staged_documents s
where documents.sha256 = s.sha256;
