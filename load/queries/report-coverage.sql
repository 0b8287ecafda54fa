-- report-coverage: per province and year, how many governments (province, prefecture and county, by region code)
-- have a latest report; departments' reports are not counted, the catalog lists governments only.
-- Parameters: none. Returns province_code (2-digit GB/T 2260 prefix), year (integer), governments (integer).
select left(region_code, 2) as province_code, year, cast(count(distinct region_code) as integer) as governments
  from latest_reports
 where level in ('province', 'prefecture', 'county') and region_code is not null
 group by all
 order by province_code, year;
