-- ui-document-ocr-figures: the figures of a scanned document with how OCR read them, for the UI's document page.
-- Parameters: $sha256 (text). The newest parser's figures that were read from an image (doc_cell_ocr): key,
-- value (double), raw, page (integer), box_x, box_y, box_width, box_height (points on the straightened page),
-- confidence (0-100), pass, alternatives; in page and reading order.
select c.key, c.value, c.raw, o.page, o.box_x, o.box_y, o.box_width, o.box_height, o.confidence, o.pass, o.alternatives
  from reports r
  join report_cells c on c.report_id = r.report_id
  join doc_cell_ocr o
    on o.sha256 = r.sha256 and o.table_index = c.table_index and o.row_index = c.row_index and o.column_index = c.column_index
 where r.sha256 = $sha256
   and r.parser_version = (select max(parser_version) from reports where sha256 = $sha256)
 order by o.page, c.table_index, c.row_index, c.column_index;
