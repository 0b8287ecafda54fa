-- 0003-history-and-text: everything a document holds (every table, every line of text), the sources and regions
-- for roll-ups, and anomaly reviews that outlive re-parsing (its views are in load/views/).
--   tables  sources, regions, document_extractions, doc_tables, doc_table_cells, document_text, anomaly_reviews,
--           t3_row_order

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

