-- latest-report-cells: every figure of the latest reports (the demo's planted-figures check).
-- Parameters: none. Returns issuer, year, key, value.
select r.issuer, r.year, c.key, c.value
  from latest_reports r join report_cells c on c.report_id = r.report_id;
