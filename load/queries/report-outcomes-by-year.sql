-- report-outcomes-by-year: how the requests were answered (表三 三、本年度办理结果), summed over the latest reports
-- of each year, one row per year and result row of the template.
-- Parameters: none. Returns year (integer), outcome (the template's row key: granted, partial, denied, unable,
-- not_processed, other), requests (integer: the sum of that row's 总计 column), reports (integer: reports with the row).
with results as (
  select l.year,
         case when c.key = 't3.granted.total' then 'granted'
              when c.key = 't3.partial.total' then 'partial'
              else split_part(c.key, '.', 2) end as outcome,
         c.value, l.report_id
    from latest_reports l
    join report_cells c using (report_id)
   where c.value is not null
     and (c.key in ('t3.granted.total', 't3.partial.total', 't3.other.total')
          or regexp_matches(c.key, '^t3\.(denied|unable|not_processed|other)\.[a-z_]+\.total$'))
)
select year, outcome, cast(sum(value) as bigint) as requests, cast(count(distinct report_id) as integer) as reports
  from results
 group by all
 order by year, outcome;
