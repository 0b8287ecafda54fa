-- 0006-document-parts: articles published over several pages (t….html, t…_1.html, …). Such an article is one
-- document: documents.sha256 is the hash of its parts' hashes, documents.archive_path its first page, and each
-- page is a row here, so every figure still traces back to the bytes of the page it was read from (a figure's
-- page number in report_cells is the part number).
--   tables  document_parts

create table document_parts (
  sha256       varchar not null,   -- documents.sha256 of the whole article
  part         integer not null,   -- page of the article, from 1 (the URL it was discovered at)
  url          varchar not null,   -- where this page was fetched
  part_sha256  varchar not null,   -- hex digest of this page's bytes
  byte_length  bigint not null,
  content_type varchar,            -- the HTTP Content-Type this page was served with
  archive_path varchar not null,   -- data/raw/<part_sha256>
  primary key (sha256, part)
);

comment on table document_parts is 'One row per page of a document published over several pages (a multi-page article); single-page documents have none.';
comment on column document_parts.sha256 is 'documents.sha256 of the whole article (the hash of its parts'' hashes)';
comment on column document_parts.part is 'page of the article, from 1; report_cells.page of a figure read from this page';
comment on column document_parts.url is 'where this page was fetched';
comment on column document_parts.part_sha256 is 'hex digest of this page''s bytes';
comment on column document_parts.byte_length is 'size of this page in bytes';
comment on column document_parts.content_type is 'the HTTP Content-Type this page was served with';
comment on column document_parts.archive_path is 'data/raw/<part_sha256>: this page''s bytes';
