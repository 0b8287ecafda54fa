-- Backlog: requests carried forward to next year (四、结转下年度继续办理) against those received and carried over.
-- Returns issuer, year, workload (new + carried over), carried_forward, backlog_share.
with t3 as (
  select issuer, year,
         max(value) filter (where key = 't3.new_received.total')    as new_requests,
         max(value) filter (where key = 't3.carried_over.total')    as carried_over,
         max(value) filter (where key = 't3.carried_forward.total') as carried_forward
    from traced_cells
   group by issuer, year
)
select issuer, year, coalesce(new_requests, 0) + coalesce(carried_over, 0) as workload, carried_forward,
       round(carried_forward / nullif(coalesce(new_requests, 0) + coalesce(carried_over, 0), 0), 4) as backlog_share
  from t3
 order by backlog_share desc nulls last, issuer, year;
