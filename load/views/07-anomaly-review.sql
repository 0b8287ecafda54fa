-- anomaly_review: the anomalies of the latest reports with their review state.
-- the anomalies of the latest reports with their review state (open until confirmed or dismissed), and the
-- disagreeing documents of report_conflicts
create or replace view anomaly_review as
select l.issuer, l.year, a.anomaly_id, a.kind, a.identity, a.expected, a.found, a.detail,
       coalesce(v.state, 'open') as review_state, v.note as review_note, v.reviewed_at,
       l.source_id, l.report_id, l.sha256
  from anomalies a
  join latest_reports l using (report_id)
  left join anomaly_reviews v on v.sha256 = l.sha256 and v.anomaly_id = a.anomaly_id
union all
-- another document of the same issuer and year that disagrees (report_conflicts): reviewed like any anomaly
select c.issuer, c.year, c.anomaly_id, c.kind, null as identity, c.expected, c.found, c.detail,
       coalesce(v.state, 'open') as review_state, v.note as review_note, v.reviewed_at,
       c.believed_source_id as source_id, c.report_id, c.sha256
  from report_conflicts c
  left join anomaly_reviews v on v.sha256 = c.sha256 and v.anomaly_id = c.anomaly_id;

comment on view anomaly_review is 'The anomalies of the latest reports, and the other documents that disagree with them (report_conflicts), with their review state (open, confirmed, dismissed).';
