-- 0001-initial: the warehouse's tables.
-- Documents are keyed by the sha256 of their bytes; reports by `${sha256}:${parserVersion}`, so loading the same
-- document with the same parser twice changes nothing, and a new parser version adds a report beside the old one.
-- A blank cell in the source is NULL in report_cells.value, never 0.

create table documents (
  sha256            varchar primary key,   -- hex digest of the fetched bytes
  format            varchar not null,      -- as extracted: html | pdf | docx | text
  byte_length       bigint not null,
  content_type      varchar,               -- the HTTP Content-Type it was served with
  extractor_version varchar not null,      -- of the latest extraction loaded
  title             varchar,               -- from the document itself, else from the link
  archive_path      varchar not null,      -- data/raw/<sha256>
  first_seen_at     timestamptz not null   -- earliest fetchedAt among its sightings
);

create table document_sightings (
  sha256        varchar not null,          -- documents.sha256
  source_id     varchar not null,          -- the portal (sources catalog id)
  url           varchar not null,          -- the link as discovered
  final_url     varchar not null,          -- after redirects
  title         varchar,                   -- as shown on the list or detail page
  published_at  date,                      -- as shown next to the link
  fetched_at    timestamptz not null,
  status        integer not null,          -- HTTP status
  etag          varchar,
  last_modified varchar,
  run_id        varchar not null,
  unique (sha256, url, run_id)
);

create table reports (
  report_id      varchar primary key,      -- `${sha256}:${parser_version}`
  sha256         varchar not null,         -- documents.sha256
  parser_version varchar not null,
  is_report      boolean not null,         -- false: a document that is no annual report, kept so that all are accounted for
  issuer         varchar,
  region_name    varchar,
  region_code    varchar,                  -- 6-digit GB/T 2260
  level          varchar,                  -- province | prefecture | county | department | other
  year           integer,                  -- the year reported on, not the year published
  format         varchar,                  -- template: 2019 | 2021 | pre2019
  title          varchar,
  source_id      varchar not null,         -- where it was first loaded from
  url            varchar not null,
  published_at   date,
  run_id         varchar not null,         -- the run that first loaded it
  loaded_at      timestamptz not null default now()
);

create table report_cells (
  report_id    varchar not null,           -- reports.report_id
  key          varchar not null,           -- CONTRACT.md key, e.g. t3.granted.total
  value        double,                     -- NULL: blank in the source (or not found: then page is NULL too)
  page         integer,                    -- provenance, from 1; NULL when the cell was not found at all
  table_index  integer,                    -- table within the document, from 0
  row_index    integer,                    -- row within that table's grid, from 0
  column_index integer,                    -- column within that table's grid, from 0
  line_index   integer,                    -- block index within the page, for figures read from text
  raw          varchar,                    -- the source slot's text exactly as printed
  primary key (report_id, key)
);

create table anomalies (
  report_id  varchar not null,             -- reports.report_id
  kind       varchar not null,             -- identity | missing_cell | blank_cell | layout | …
  anomaly_id varchar not null,             -- stable id, e.g. row_sum:granted
  identity   varchar,                      -- row_sum | results_sum | balance | t4_sum
  expected   double,                       -- the sum of the parts
  found      double,                       -- what the document prints
  detail     varchar not null
);

create table failures (
  failed_at timestamptz not null default now(),
  run_id    varchar not null,
  stage     varchar not null,              -- crawl | fetch | extract | parse | load
  source_id varchar,
  url       varchar not null,
  sha256    varchar,
  code      varchar not null,              -- the error's code, e.g. PDF_ENCRYPTED
  reason    varchar not null,
  resolved  boolean not null default false
);

create table crawl_runs (
  run_id      varchar primary key,
  status      varchar not null,            -- finished | finished_with_failures | …
  started_at  timestamptz not null,
  finished_at timestamptz,
  summary     json                         -- the run's counters, e.g. {"fetch:completed": 12}
);

create table source_health (
  run_id        varchar not null,
  source_id     varchar not null,
  pages_fetched integer not null,
  reports_found integer not null,
  new_documents integer not null,
  changed       integer not null,
  blocked       integer not null,
  errors        integer not null,
  flagged       boolean not null,          -- the source needs a look (e.g. no reports found)
  note          varchar,
  primary key (run_id, source_id)
);
