-- batch-delete-replaced-content: removes the tables and text of the staged documents whose newer extraction
-- replaces the loaded one (staged_extractions.replaces). No parameters; returns nothing.
delete from doc_tables where sha256 in (select sha256 from staged_extractions where replaces);
delete from doc_table_cells where sha256 in (select sha256 from staged_extractions where replaces);
delete from doc_cell_ocr where sha256 in (select sha256 from staged_extractions where replaces);
delete from document_text where sha256 in (select sha256 from staged_extractions where replaces);
delete from document_extractions where sha256 in (select sha256 from staged_extractions where replaces);
