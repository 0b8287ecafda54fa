-- report-requests-by-province: new disclosure requests (表三 一、本年新收政府信息公开申请数量) per province and year,
-- summed and per issuer: the median shows the typical government or department, which one big issuer cannot hide.
-- Parameters: none. Returns province_code (2-digit GB/T 2260 prefix), province (name), year (integer), reports
-- (integer: latest reports with the figure), new_requests (integer: their sum), median_requests (per report, may be
-- fractional), max_requests (integer); by province code, then year.
select left(s.region_code, 2) as province_code, p.name as province, s.year,
       cast(count(s.new_requests) as integer) as reports,
       cast(sum(s.new_requests) as bigint) as new_requests,
       median(s.new_requests) as median_requests,
       cast(max(s.new_requests) as bigint) as max_requests
  from report_summary s
  join regions p on p.code = left(s.region_code, 2) || '0000'
 where s.year is not null and s.new_requests is not null
 group by all
 order by province_code, s.year;
