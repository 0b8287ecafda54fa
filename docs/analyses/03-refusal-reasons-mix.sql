-- Mix of refusal reasons: requests refused (三(三) 不予公开, rows 1–8), by reason, over all latest reports, with each
-- reason's share of all refusals. Returns reason, refused, share.
with refused as (
  select regexp_extract(key, '^t3\.denied\.(.+)\.total$', 1) as reason, sum(value) as refused
    from traced_cells
   where key like 't3.denied.%.total'
   group by reason
)
select reason, refused, round(refused / nullif(sum(refused) over (), 0), 4) as share
  from refused
 order by refused desc, reason;
