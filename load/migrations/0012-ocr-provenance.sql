-- 0012-ocr-provenance: how each cell of a table read from an image was recognised. A scanned report's figures
-- come from OCR; each keeps its box on the page and the engine's confidence, so a figure (report_cells: page,
-- table_index, row_index, column_index) traces to the pixels it was read from and can be judged.
--   tables  doc_cell_ocr

create table doc_cell_ocr (
  sha256       varchar not null,   -- documents.sha256
  table_index  integer not null,   -- doc_tables.table_index
  row_index    integer not null,   -- doc_table_cells.row_index
  column_index integer not null,   -- doc_table_cells.column_index (the slot where the merged cell starts)
  page         integer not null,   -- page of the document, from 1 (a multi-page article: its part)
  box_x        double not null,    -- points from the left of the straightened page
  box_y        double not null,    -- points from the top of the straightened page
  box_width    double not null,
  box_height   double not null,
  confidence   double not null,    -- 0-100: the lowest of the cell's words; 100 for a cell with no ink
  pass         varchar not null,   -- blank | text | digits
  alternatives varchar,            -- where the two passes disagreed: both readings, separated by ' | '
  raw          varchar,            -- the engine's own text where it was snapped to a template label
  primary key (sha256, table_index, row_index, column_index)
);

comment on table doc_cell_ocr is 'One row per cell of a table read from an image (a scanned PDF page, an image attachment, a table shown as an image in an article): its box on the page and the OCR confidence. Cells of text tables have none.';
comment on column doc_cell_ocr.sha256 is 'documents.sha256';
comment on column doc_cell_ocr.table_index is 'doc_tables.table_index = report_cells.table_index';
comment on column doc_cell_ocr.row_index is 'doc_table_cells.row_index = report_cells.row_index';
comment on column doc_cell_ocr.column_index is 'doc_table_cells.column_index = report_cells.column_index (the slot a merged cell starts in)';
comment on column doc_cell_ocr.page is 'page of the document the cell was read on, from 1 (= report_cells.page; for a multi-page article its part, see document_parts)';
comment on column doc_cell_ocr.box_x is 'left edge of the cell, in points (1/72 inch) from the left of the straightened page';
comment on column doc_cell_ocr.box_y is 'top edge of the cell, in points from the top of the straightened page';
comment on column doc_cell_ocr.box_width is 'width of the cell in points';
comment on column doc_cell_ocr.box_height is 'height of the cell in points';
comment on column doc_cell_ocr.confidence is 'the OCR engine''s confidence, 0-100 (the lowest of the cell''s words; 100 for a cell with no ink); low ones raise ocr_uncertain anomalies';
comment on column doc_cell_ocr.pass is 'blank: no ink; text: read by the Chinese pass; digits: confirmed or overruled by the digit-only pass';
comment on column doc_cell_ocr.alternatives is 'where the text and digit passes read a figure differently: both readings, separated by '' | ''; NULL otherwise';
comment on column doc_cell_ocr.raw is 'the engine''s own text where it was snapped to a template label; NULL otherwise';
