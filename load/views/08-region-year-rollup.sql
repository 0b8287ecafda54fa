-- region_year_rollup: latest reports summed per region and year.
-- each latest report counted in its own region and every prefecture and province above it
create or replace view region_year_rollup as
with recursive chain(report_code, code, depth) as (
  select code, code, 0 from regions
  union all
  select c.report_code, r.parent_code, c.depth + 1
    from chain c join regions r on r.code = c.code
   where r.parent_code is not null and c.depth < 4
)
select g.code as region_code, g.name as region_name, g.level as region_level, s.year,
       count(*) as reports,
       cast(sum(s.new_requests) as bigint) as new_requests, cast(sum(s.granted) as bigint) as granted, cast(sum(s.partial) as bigint) as partial,
       cast(sum(s.denied) as bigint) as denied, cast(sum(s.unable) as bigint) as unable, cast(sum(s.not_processed) as bigint) as not_processed,
       cast(sum(s.results_total) as bigint) as results_total, cast(sum(s.reviews) as bigint) as reviews, cast(sum(s.lawsuits) as bigint) as lawsuits,
       sum(s.granted) / nullif(sum(s.results_total), 0) as grant_rate
  from report_summary s
  join chain c on c.report_code = s.region_code
  join regions g on g.code = c.code
 group by g.code, g.name, g.level, s.year;

comment on view region_year_rollup is 'Latest reports summed per region and year, each counted in its own region and every prefecture and province above it.';
