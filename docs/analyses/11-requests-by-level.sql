-- Requests by level of issuer (province, prefecture, county, department, other) and year: reports, new requests,
-- and new requests per report. Returns level, year, reports, new_requests, per_report.
select level, year, count(*) as reports, sum(new_requests) as new_requests,
       round(sum(new_requests) / count(*), 2) as per_report
  from report_summary
 group by level, year
 order by level, year;
