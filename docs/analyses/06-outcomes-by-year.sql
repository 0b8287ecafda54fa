-- Mix of outcomes by year: what happened to the requests answered, summed over the latest reports of each year.
-- Returns year, granted, partial, denied, unable, not_processed, answered.
select year, sum(granted) as granted, sum(partial) as partial, sum(denied) as denied, sum(unable) as unable,
       sum(not_processed) as not_processed, sum(results_total) as answered
  from report_summary
 group by year
 order by year;
