-- Grant rate by province and year: requests granted in full (三(一)) per request answered (三(七) 总计), summed
-- over every latest report within the province (its prefectures, counties and departments included).
-- Returns province, year, reports, granted, answered, grant_rate (NULL when nothing was answered).
select region_name as province, year, reports, granted, results_total as answered, round(grant_rate, 4) as grant_rate
  from region_year_rollup
 where region_level = 'province'
 order by province, year;
