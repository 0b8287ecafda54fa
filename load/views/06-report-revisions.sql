-- report_revisions: each report document as a revision of (issuer, year).
-- each document of an annual report (its newest parse) as a revision of (issuer, year); revision 1 came first
create or replace view report_revisions as
select p.issuer, p.year,
       row_number() over (partition by p.issuer, p.year
                          order by p.published_at nulls first, d.first_seen_at, p.loaded_at, p.report_id) as revision,
       count(*) over (partition by p.issuer, p.year) as revisions,
       p.report_id in (select report_id from latest_reports) as is_latest,
       p.report_id, p.sha256, p.parser_version, p.format, p.title, p.url, p.published_at,
       d.first_seen_at, d.format as document_format, p.loaded_at
  from newest_parses() p
  join documents d using (sha256)
 where p.is_report and p.issuer is not null and p.year is not null;

comment on view report_revisions is 'Every document of an annual report as a revision of (issuer, year), numbered from 1 in publication order.';
