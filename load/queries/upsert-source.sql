-- upsert-source: a crawled source's catalog entry; a region or level the catalog leaves out keeps what was known.
-- Parameters: $source_id, $name, $region_code, $level (the last two may be NULL). Returns nothing.
insert into sources (source_id, name, region_code, level) values ($source_id, $name, $region_code, $level)
on conflict (source_id) do update set name = excluded.name,
  region_code = coalesce(excluded.region_code, region_code), level = coalesce(excluded.level, level);
