-- 0002-views: the views users query.
--   latest_reports  one row per (issuer, year): the report to believe among every document and parser version
--   report_summary  one row per latest report, with the headline figures of tables 三 and 四
--   table3_wide     one row per latest report and table-三 row, the seven applicant columns as columns
--   traced_cells    every figure of the latest reports with where it was read (document, page, table slot)

create or replace view latest_reports as
with newest_parse as (
  -- each document's newest parser version: numeric segments compared as numbers, so 1.10 > 1.9
  select r.*
    from reports r
 qualify row_number() over (
           partition by r.sha256
           order by list_transform(regexp_extract_all(r.parser_version, '\d+'), x -> cast(x as bigint)) desc,
                    r.parser_version desc, r.loaded_at desc) = 1
)
select r.report_id, r.sha256, r.parser_version, r.issuer, r.region_name, r.region_code, r.level, r.year,
       r.format, r.title, r.url, r.published_at, r.source_id, r.loaded_at,
       d.format as document_format, d.archive_path
  from newest_parse r
  join documents d using (sha256)
 where r.is_report and r.format in ('2019', '2021') and r.issuer is not null and r.year is not null
qualify row_number() over (
          partition by r.issuer, r.year
          -- HTML tables are more faithful than tables recovered from a PDF's layout
          order by r.published_at desc nulls last, (d.format = 'html') desc, r.loaded_at desc, r.report_id) = 1;

create or replace view report_summary as
with figures as (
  select c.report_id,
         max(c.value) filter (where c.key = 't3.new_received.total')     as new_requests,
         max(c.value) filter (where c.key = 't3.carried_over.total')     as carried_over,
         max(c.value) filter (where c.key = 't3.granted.total')          as granted,
         max(c.value) filter (where c.key = 't3.partial.total')          as partial,
         sum(c.value) filter (where c.key like 't3.denied.%.total')        as denied,
         sum(c.value) filter (where c.key like 't3.unable.%.total')        as unable,
         sum(c.value) filter (where c.key like 't3.not_processed.%.total')  as not_processed,
         max(c.value) filter (where c.key = 't4.review.total')           as reviews,
         sum(c.value) filter (where c.key in ('t4.litigation_direct.total', 't4.litigation_after_review.total'))
                                                                          as lawsuits
    from report_cells c
   group by c.report_id
),
anomaly_counts as (
  select report_id, count(*) as anomalies from anomalies group by report_id
)
select l.issuer, l.region_code, l.region_name, l.level, l.year, l.format,
       f.new_requests, f.carried_over, f.granted, f.partial, f.denied, f.unable, f.not_processed,
       f.reviews, f.lawsuits, coalesce(a.anomalies, 0) as anomalies,
       l.url, l.published_at, l.document_format, l.report_id, l.sha256
  from latest_reports l
  left join figures f using (report_id)
  left join anomaly_counts a using (report_id);

create or replace view table3_wide as
with t3 as (
  select c.*,
         regexp_extract(c.key, '^t3\.(.+)\.([^.]+)$', 1) as row_key,
         regexp_extract(c.key, '^t3\.(.+)\.([^.]+)$', 2) as column_key
    from report_cells c
   where c.key like 't3.%'
)
select l.report_id, l.issuer, l.year, l.format, t3.row_key,
       max(t3.value) filter (where t3.column_key = 'natural_person') as natural_person,
       max(t3.value) filter (where t3.column_key = 'commercial')     as commercial,
       max(t3.value) filter (where t3.column_key = 'research')       as research,
       max(t3.value) filter (where t3.column_key = 'social_welfare') as social_welfare,
       max(t3.value) filter (where t3.column_key = 'legal_service')  as legal_service,
       max(t3.value) filter (where t3.column_key = 'other_org')      as other_org,
       max(t3.value) filter (where t3.column_key = 'total')          as total,
       min(t3.row_index) as source_row                              -- row in the source table, for ordering
  from latest_reports l
  join t3 using (report_id)
 group by l.report_id, l.issuer, l.year, l.format, t3.row_key;

create or replace view traced_cells as
select l.issuer, l.year, c.key, c.value, c.raw, c.page, c.table_index, c.row_index, c.column_index, c.line_index,
       l.url, l.document_format, l.archive_path, l.sha256, l.report_id
  from latest_reports l
  join report_cells c using (report_id);
