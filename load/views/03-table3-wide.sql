-- table3_wide: one row per latest report and table-三 row, the seven applicant columns as columns.
create or replace view table3_wide as
with t3 as (
  select c.*,
         regexp_extract(c.key, '^t3\.(.+)\.([^.]+)$', 1) as row_key,
         regexp_extract(c.key, '^t3\.(.+)\.([^.]+)$', 2) as column_key
    from report_cells c
   where c.key like 't3.%'
)
select l.report_id, l.issuer, l.year, l.format, t3.row_key,
       whole_count(max(t3.value) filter (where t3.column_key = 'natural_person')) as natural_person,
       whole_count(max(t3.value) filter (where t3.column_key = 'commercial'))     as commercial,
       whole_count(max(t3.value) filter (where t3.column_key = 'research'))       as research,
       whole_count(max(t3.value) filter (where t3.column_key = 'social_welfare')) as social_welfare,
       whole_count(max(t3.value) filter (where t3.column_key = 'legal_service'))  as legal_service,
       whole_count(max(t3.value) filter (where t3.column_key = 'other_org'))      as other_org,
       whole_count(max(t3.value) filter (where t3.column_key = 'total'))          as total,
       min(t3.row_index) as source_row,                             -- row in the source table
       any_value(o.position) as template_row                         -- row in the national template
  from latest_reports l
  join t3 using (report_id)
  left join t3_row_order o on o.row_key = t3.row_key
 group by l.report_id, l.issuer, l.year, l.format, t3.row_key
 order by l.issuer, l.year, template_row;

comment on view table3_wide is 'One row per latest report and table-三 row, the seven applicant columns as columns, in template order.';
