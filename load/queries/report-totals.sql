-- report-totals: the headline of the researchers' report. Parameters: none. Returns one row: reports (integer:
-- latest reports), issuers (integer: distinct issuers), first_year and last_year (integer or NULL).
select cast(count(*) as integer) as reports, cast(count(distinct issuer) as integer) as issuers,
       min(year) as first_year, max(year) as last_year
  from latest_reports;
