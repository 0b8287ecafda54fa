-- report_summary: one row per latest report, with the headline figures of tables 三 and 四.
-- grant_rate: requests granted in full (三(一)) per request answered (三(七) 总计); NULL when none were answered
create or replace view report_summary as
with figures as (
  select c.report_id,
         whole_count(max(c.value) filter (where c.key = 't3.new_received.total'))     as new_requests,
         whole_count(max(c.value) filter (where c.key = 't3.carried_over.total'))     as carried_over,
         whole_count(max(c.value) filter (where c.key = 't3.granted.total'))          as granted,
         whole_count(max(c.value) filter (where c.key = 't3.partial.total'))          as partial,
         whole_count(sum(c.value) filter (where c.key like 't3.denied.%.total'))        as denied,
         whole_count(sum(c.value) filter (where c.key like 't3.unable.%.total'))        as unable,
         whole_count(sum(c.value) filter (where c.key like 't3.not_processed.%.total'))  as not_processed,
         whole_count(max(c.value) filter (where c.key = 't4.review.total'))           as reviews,
         whole_count(sum(c.value) filter (where c.key in ('t4.litigation_direct.total', 't4.litigation_after_review.total')))
                                                                          as lawsuits,
         whole_count(max(c.value) filter (where c.key = 't3.results_total.total'))    as results_total
    from report_cells c
   group by c.report_id
),
anomaly_counts as (
  -- the parse's anomalies and the disagreeing documents (report_conflicts)
  select a.report_id, count(*) as anomalies,
         count(*) filter (where coalesce(v.state, 'open') = 'open') as open_anomalies
    from (select report_id, anomaly_id from anomalies union all select report_id, anomaly_id from report_conflicts) a
    join reports r using (report_id)
    left join anomaly_reviews v on v.sha256 = r.sha256 and v.anomaly_id = a.anomaly_id
   group by a.report_id
)
select l.issuer, l.region_code, l.region_name, l.level, l.year, l.format,
       f.new_requests, f.carried_over, f.granted, f.partial, f.denied, f.unable, f.not_processed,
       f.reviews, f.lawsuits, coalesce(a.anomalies, 0) as anomalies,
       l.url, l.published_at, l.document_format, l.report_id, l.sha256,
       f.results_total, f.granted / nullif(f.results_total, 0) as grant_rate,
       coalesce(a.open_anomalies, 0) as open_anomalies, l.source_id
  from latest_reports l
  left join figures f using (report_id)
  left join anomaly_counts a using (report_id);

comment on view report_summary is 'One row per latest report with the headline figures of tables 三 and 四 and the grant rate.';
