-- report_conflicts: every other report document of an (issuer, year) whose figures differ from the one latest_reports
-- believes. Nothing replaces the believed report silently: the other document is kept, and each disagreement is an
-- anomaly of the believed report in the review queue (anomaly_review), keyed on the other document:
--   ownership_conflict  the other document comes from no source that speaks for the issuer's region, the believed one does
--                       (a copy served by an unrelated portal: believed never, shown for review)
--   conflicting_report  any other disagreement: a revision with different figures, two portals' copies that differ
create or replace view report_conflicts as
with pairs as (
  select l.issuer, l.year, l.report_id, l.sha256, l.source_id as believed_source_id, l.from_owner,
         o.report_id as other_report_id, o.sha256 as other_sha256, o.source_id as other_source_id, o.url as other_url,
         case when l.from_owner and w.report_id is null then 'ownership_conflict' else 'conflicting_report' end as kind
    from latest_reports l
    join newest_parses() o on o.issuer = l.issuer and o.year = l.year and o.sha256 <> l.sha256 and o.is_report
    left join owned_reports() w on w.report_id = o.report_id
),
cell_keys as (
  select p.report_id, p.other_report_id, c.key from pairs p join report_cells c on c.report_id = p.report_id
  union
  select p.report_id, p.other_report_id, c.key from pairs p join report_cells c on c.report_id = p.other_report_id
),
differences as (
  select k.report_id, k.other_report_id, count(*) as differing,
         min(k.key) as first_key,
         arg_min(a.value, k.key) as believed_value,
         arg_min(b.value, k.key) as other_value
    from cell_keys k
    left join report_cells a on a.report_id = k.report_id and a.key = k.key
    left join report_cells b on b.report_id = k.other_report_id and b.key = k.key
   where a.value is distinct from b.value
   group by k.report_id, k.other_report_id
)
select p.issuer, p.year, p.kind,
       p.kind || ':' || left(p.other_sha256, 12) as anomaly_id,
       d.believed_value as expected, d.other_value as found,
       format('{} figures differ from the believed report (source {}) in a document of source {} ({}), e.g. {}: {} believed, {} there; kept, not believed',
              d.differing, p.believed_source_id, p.other_source_id, p.other_url, d.first_key,
              coalesce(cast(d.believed_value as varchar), 'blank'), coalesce(cast(d.other_value as varchar), 'blank')) as detail,
       d.differing, p.report_id, p.sha256, p.believed_source_id,
       p.other_report_id, p.other_sha256, p.other_source_id, p.other_url
  from pairs p
  join differences d using (report_id, other_report_id);

comment on view report_conflicts is 'Other report documents of an (issuer, year) whose figures differ from the believed one: kept, never believed over the owning source''s, each an anomaly in anomaly_review.';
comment on column report_conflicts.kind is 'ownership_conflict (from a source that does not speak for the issuer) | conflicting_report';
comment on column report_conflicts.anomaly_id is 'kind:<first 12 hex of the other document''s sha256>, as reviewed in anomaly_reviews';
comment on column report_conflicts.expected is 'the first differing figure (by key) in the believed report';
comment on column report_conflicts.found is 'the same figure in the other document';
comment on column report_conflicts.differing is 'how many figures differ';
comment on column report_conflicts.report_id is 'the believed report (latest_reports.report_id)';
comment on column report_conflicts.sha256 is 'the believed report''s document';
comment on column report_conflicts.other_report_id is 'the report that was not believed';
comment on column report_conflicts.other_sha256 is 'its document, kept in documents and the archive';
comment on column report_conflicts.other_source_id is 'the source that served it';
