-- Top issuers by new requests: the ten reports (latest revision per issuer and year) that received the most new
-- information-disclosure requests (table 三 一、本年新收, total column). Returns issuer, year, new_requests.
select issuer, year, new_requests
  from report_summary
 where new_requests is not null
 order by new_requests desc, issuer, year
 limit 10;
