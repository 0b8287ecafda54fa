-- traced_cells: every figure of the latest reports with where it was read (document, page, table slot), and for a
-- figure read from an image its OCR box and confidence (doc_cell_ocr).
create or replace view traced_cells as
select l.issuer, l.year, c.key, c.value, c.raw, c.page, c.table_index, c.row_index, c.column_index, c.line_index,
       l.url, l.document_format, l.archive_path, l.sha256, l.report_id,
       o.confidence as ocr_confidence, o.box_x as ocr_box_x, o.box_y as ocr_box_y, o.box_width as ocr_box_width,
       o.box_height as ocr_box_height
  from latest_reports l
  join report_cells c using (report_id)
  left join doc_cell_ocr o
    on o.sha256 = l.sha256 and o.table_index = c.table_index and o.row_index = c.row_index and o.column_index = c.column_index;

comment on view traced_cells is 'Every figure of the latest reports with where it was read (document, page, table slot or line); ocr_* columns: the box (points on the page) and confidence of a figure read from an image, NULL otherwise.';
