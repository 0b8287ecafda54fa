-- traced_cells: every figure of the latest reports with where it was read (document, page, table slot).
create or replace view traced_cells as
select l.issuer, l.year, c.key, c.value, c.raw, c.page, c.table_index, c.row_index, c.column_index, c.line_index,
       l.url, l.document_format, l.archive_path, l.sha256, l.report_id
  from latest_reports l
  join report_cells c using (report_id);

comment on view traced_cells is 'Every figure of the latest reports with where it was read (document, page, table slot or line).';
