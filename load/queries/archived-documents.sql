-- archived-documents: every archived document with its latest sighting, its newest parse and its source, for
-- re-processing (jobs/reprocess.ts) without downloading anything.
-- Parameters: $since (ISO 8601 date or timestamp, or NULL for every document): only documents last fetched since then.
-- Returns one row per document, by sha256: sha256, content_type, byte_length, archive_path, extractor_version,
-- source_id, url, final_url, title, published_at (text), fetched_at, status, etag, last_modified, parser_version
-- (NULL when never parsed), name, region_code, level (of the source; NULL when unknown).
with latest as (
  select * from document_sightings qualify row_number() over (partition by sha256 order by fetched_at desc) = 1
), parses as (
  select sha256, arg_max(parser_version, loaded_at) as parser_version from reports group by sha256
)
select d.sha256, d.content_type, d.byte_length, d.archive_path, d.extractor_version, s.source_id, s.url,
       s.final_url, s.title, cast(s.published_at as varchar) as published_at, s.fetched_at, s.status, s.etag,
       s.last_modified, p.parser_version, src.name, src.region_code, src.level
  from documents d join latest s using (sha256) left join parses p using (sha256)
  left join sources src on src.source_id = s.source_id
 where cast($since as varchar) is null or s.fetched_at >= cast($since as timestamptz)
 order by d.sha256;
