-- latest-report-figures: the headline figures of the latest reports, one row per issuer and year (the demo's table).
-- Parameters: none. Returns issuer, year, format, new_requests, granted, denied, lawsuits, anomalies.
select issuer, year, format, new_requests, granted, denied, lawsuits, anomalies from report_summary order by issuer, year;
