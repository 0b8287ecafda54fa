-- latest-report-cells: every figure of the latest reports (the demo's planted-figures check), with whether it was
-- read by OCR (it has a doc_cell_ocr row) and whether its report carries an ocr_uncertain anomaly.
-- Parameters: none. Returns issuer, year, key, value, ocr, ocr_flagged.
select r.issuer, r.year, c.key, c.value,
       o.sha256 is not null as ocr,
       exists (select 1 from anomalies a where a.report_id = r.report_id and a.kind = 'ocr_uncertain') as ocr_flagged
  from latest_reports r
  join report_cells c on c.report_id = r.report_id
  left join doc_cell_ocr o
    on o.sha256 = r.sha256 and o.table_index = c.table_index and o.row_index = c.row_index and o.column_index = c.column_index;
