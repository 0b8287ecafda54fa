-- 0003-history-and-text: everything a document holds (every table, every line of text), the sources and regions
-- for roll-ups, anomaly reviews that outlive re-parsing, and the views over revisions, summaries and regions.
--   tables  sources, regions, document_extractions, doc_tables, doc_table_cells, document_text, anomaly_reviews,
--           t3_row_order
--   views   document_urls, report_revisions, report_summary (adds results_total, grant_rate, open_anomalies),
--           table3_wide (adds template_row, ordered by it), anomaly_review, region_year_rollup

create table sources (
  source_id     varchar primary key,       -- the portal (sources catalog id), as in document_sightings
  name          varchar,                   -- the portal's name, when known
  region_code   varchar,                   -- 6-digit GB/T 2260 code of the portal's region, when known
  level         varchar,                   -- province | prefecture | county | department | other
  first_seen_at timestamptz not null default now()
);

create table regions (
  code         varchar primary key,        -- 6-digit GB/T 2260 code
  name         varchar not null,
  parent_code  varchar,                    -- NULL for provinces; counties of municipalities hang under the province
  level        varchar not null,           -- province | prefecture | county
  special_zone boolean not null,           -- a body reporting as a region without a code of its own (平潭综合实验区)
  former       boolean not null            -- a 2019 code retired since (海门市 320684)
);

create table document_extractions (
  sha256            varchar primary key,   -- documents.sha256
  extractor_version varchar not null,      -- the extraction whose tables and text are loaded
  pages             integer not null,
  tables            integer not null,
  lines             integer not null,
  loaded_at         timestamptz not null default now()
);

create table doc_tables (
  sha256       varchar not null,           -- documents.sha256
  table_index  integer not null,           -- within the whole document, from 0 (= report_cells.table_index)
  page         integer not null,           -- from 1
  origin       varchar not null,           -- html | pdf-ruling | pdf-alignment | docx
  row_count    integer not null,
  column_count integer not null,           -- of the widest row
  primary key (sha256, table_index)
);

create table doc_table_cells (
  sha256       varchar not null,           -- documents.sha256
  table_index  integer not null,           -- doc_tables.table_index
  row_index    integer not null,           -- from 0 (= report_cells.row_index)
  column_index integer not null,           -- from 0, merged cells expanded (= report_cells.column_index)
  text         varchar not null,           -- as extracted
  spanned      boolean not null,           -- covered by a merged cell that starts in another slot
  primary key (sha256, table_index, row_index, column_index)
);

create table document_text (
  sha256     varchar not null,             -- documents.sha256
  page       integer not null,             -- from 1
  line_index integer not null,             -- block index within the page (= report_cells.line_index)
  text       varchar not null,
  primary key (sha256, page, line_index)
);

create table anomaly_reviews (
  sha256      varchar not null,            -- the document: a decision holds for every parser version of it
  anomaly_id  varchar not null,            -- anomalies.anomaly_id, e.g. t4_sum:review
  state       varchar not null,            -- confirmed (the source is wrong) | dismissed (not an anomaly)
  note        varchar,
  reviewed_at timestamptz not null default now(),
  primary key (sha256, anomaly_id)
);

create table t3_row_order (
  row_key  varchar primary key,            -- table-三 row key, e.g. denied.state_secret (transform/keys.ts T3_ROWS_ANY)
  position integer not null                -- template order, from 1
);
insert into t3_row_order values
  ('new_received', 1),
  ('carried_over', 2),
  ('granted', 3),
  ('partial', 4),
  ('denied.state_secret', 5),
  ('denied.prohibited_by_law', 6),
  ('denied.three_security_one_stability', 7),
  ('denied.third_party_rights', 8),
  ('denied.internal_affairs', 9),
  ('denied.process_info', 10),
  ('denied.enforcement_files', 11),
  ('denied.query_matters', 12),
  ('unable.not_held', 13),
  ('unable.need_creation', 14),
  ('unable.unclear_after_correction', 15),
  ('not_processed.complaint', 16),
  ('not_processed.repeated', 17),
  ('not_processed.publications', 18),
  ('not_processed.massive_repeated', 19),
  ('not_processed.confirm_info', 20),
  ('other.overdue_correction', 21),
  ('other.unpaid_fee', 22),
  ('other.other', 23),
  ('other', 24),
  ('results_total', 25),
  ('carried_forward', 26);

-- every URL a document was seen at
create or replace view document_urls as
select sha256, url, final_url, source_id,
       min(fetched_at) as first_seen_at, max(fetched_at) as last_seen_at, count(*) as sightings,
       min(published_at) as published_at
  from document_sightings
 group by sha256, url, final_url, source_id;

-- each document of an annual report (its newest parse) as a revision of (issuer, year); revision 1 came first
create or replace view report_revisions as
with newest_parse as (
  select r.*
    from reports r
 qualify row_number() over (
           partition by r.sha256
           order by list_transform(regexp_extract_all(r.parser_version, '\d+'), x -> cast(x as bigint)) desc,
                    r.parser_version desc, r.loaded_at desc) = 1
)
select p.issuer, p.year,
       row_number() over (partition by p.issuer, p.year
                          order by p.published_at nulls first, d.first_seen_at, p.loaded_at, p.report_id) as revision,
       count(*) over (partition by p.issuer, p.year) as revisions,
       p.report_id in (select report_id from latest_reports) as is_latest,
       p.report_id, p.sha256, p.parser_version, p.format, p.title, p.url, p.published_at,
       d.first_seen_at, d.format as document_format, p.loaded_at
  from newest_parse p
  join documents d using (sha256)
 where p.is_report and p.issuer is not null and p.year is not null;

-- grant_rate: requests granted in full (三(一)) per request answered (三(七) 总计); NULL when none were answered
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
                                                                          as lawsuits,
         max(c.value) filter (where c.key = 't3.results_total.total')    as results_total
    from report_cells c
   group by c.report_id
),
anomaly_counts as (
  select a.report_id, count(*) as anomalies,
         count(*) filter (where coalesce(v.state, 'open') = 'open') as open_anomalies
    from anomalies a
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
       min(t3.row_index) as source_row,                             -- row in the source table
       any_value(o.position) as template_row                         -- row in the national template
  from latest_reports l
  join t3 using (report_id)
  left join t3_row_order o on o.row_key = t3.row_key
 group by l.report_id, l.issuer, l.year, l.format, t3.row_key
 order by l.issuer, l.year, template_row;

-- the anomalies of the latest reports with their review state (open until confirmed or dismissed)
create or replace view anomaly_review as
select l.issuer, l.year, a.anomaly_id, a.kind, a.identity, a.expected, a.found, a.detail,
       coalesce(v.state, 'open') as review_state, v.note as review_note, v.reviewed_at,
       l.source_id, l.report_id, l.sha256
  from anomalies a
  join latest_reports l using (report_id)
  left join anomaly_reviews v on v.sha256 = l.sha256 and v.anomaly_id = a.anomaly_id;

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
       sum(s.new_requests) as new_requests, sum(s.granted) as granted, sum(s.partial) as partial,
       sum(s.denied) as denied, sum(s.unable) as unable, sum(s.not_processed) as not_processed,
       sum(s.results_total) as results_total, sum(s.reviews) as reviews, sum(s.lawsuits) as lawsuits,
       sum(s.granted) / nullif(sum(s.results_total), 0) as grant_rate
  from report_summary s
  join chain c on c.report_code = s.region_code
  join regions g on g.code = c.code
 group by g.code, g.name, g.level, s.year;
