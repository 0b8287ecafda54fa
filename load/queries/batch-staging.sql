-- batch-staging: the write window's staging tables (temporary, this connection only), emptied for a new batch.
-- The loader appends a batch's rows here with the Appender, then moves them into the warehouse with set-based
-- statements (batch-*.sql). No parameters; returns nothing.
create or replace temp table staged_documents (
  sha256 varchar, format varchar, byte_length bigint, content_type varchar, extractor_version varchar, title varchar,
  archive_path varchar, fetched_at varchar, engine varchar, engine_fallback varchar);
create or replace temp table staged_sightings (
  sha256 varchar, source_id varchar, url varchar, final_url varchar, title varchar, published_at varchar,
  fetched_at varchar, status integer, etag varchar, last_modified varchar, run_id varchar);
create or replace temp table staged_parts (
  sha256 varchar, part integer, url varchar, part_sha256 varchar, byte_length bigint, content_type varchar,
  archive_path varchar);
create or replace temp table staged_extractions (
  sha256 varchar, extractor_version varchar, pages integer, tables integer, lines integer, replaces boolean);
create or replace temp table staged_reports (
  report_id varchar, sha256 varchar, parser_version varchar, is_report boolean, issuer varchar, region_name varchar,
  region_code varchar, level varchar, year integer, format varchar, title varchar, source_id varchar, url varchar,
  published_at varchar, run_id varchar);
create or replace temp table staged_failures (
  run_id varchar, stage varchar, source_id varchar, url varchar, sha256 varchar, code varchar, reason varchar);
