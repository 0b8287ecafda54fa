-- Lawsuits per 100 requests: 行政诉讼 cases (direct and after review, table 四) per 100 new requests, per report.
-- Reports without new requests are left out. Returns issuer, year, lawsuits, new_requests, lawsuits_per_100.
select issuer, year, lawsuits, new_requests, round(100 * lawsuits / new_requests, 2) as lawsuits_per_100
  from report_summary
 where new_requests > 0
 order by lawsuits_per_100 desc nulls last, issuer, year;
