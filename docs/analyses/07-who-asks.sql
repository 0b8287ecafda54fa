-- Who asks: new requests by kind of applicant (table 三's columns), over all latest reports, with shares.
-- Returns applicant, requests, share.
with asked as (
  select regexp_extract(key, '^t3\.new_received\.(.+)$', 1) as applicant, sum(value) as requests
    from traced_cells
   where key like 't3.new_received.%' and key <> 't3.new_received.total'
   group by applicant
)
select applicant, requests, round(requests / nullif(sum(requests) over (), 0), 4) as share
  from asked
 order by requests desc, applicant;
