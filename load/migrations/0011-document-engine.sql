-- 0011-document-engine: which engine read a PDF's text, and why pdf.js did when PDFium was not trusted with it.
-- PDFium (WebAssembly) reads PDFs; pdf.js (pdf-parse) is the second opinion for a PDF that PDFium cannot open or
-- reads as glyphs without Unicode mapping (extract/pdf.ts). Written from the latest extraction loaded, like
-- extractor_version; documents loaded before this migration keep NULL until `yangguang reprocess load` loads their
-- archived extraction again (pdf-3 extractions record the engine; no new extraction is needed).
--   columns  documents.engine, documents.engine_fallback

alter table documents add column engine varchar;
alter table documents add column engine_fallback varchar;

comment on column documents.engine is 'PDFs: the engine that read the text layer, pdfium or pdf.js (the fallback, see engine_fallback); NULL for other formats and for extractions older than pdf-3';
comment on column documents.engine_fallback is 'why pdf.js read the PDF instead of PDFium (PDFium cannot open it, or reads some page as glyphs without Unicode mapping), as in the extraction''s PDFJS_FALLBACK warning; NULL when PDFium read it';
