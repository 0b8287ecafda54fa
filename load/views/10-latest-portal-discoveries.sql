-- latest_portal_discoveries: each checked portal's latest discovery.
create or replace view latest_portal_discoveries as
select d.source_id, d.portal_url, d.status, d.reason, d.moved_to, d.platform, d.pages_fetched, d.checked_at,
       count(c.url) as columns,
       count(c.url) filter (where c.scope = 'government') as government_columns
  from portal_discoveries d
  left join portal_columns c on c.source_id = d.source_id and c.checked_at = d.checked_at
 where d.checked_at = (select max(l.checked_at) from portal_discoveries l where l.source_id = d.source_id)
 group by all;

comment on view latest_portal_discoveries is 'Each checked portal''s latest discovery, with how many 年报 columns it found: what a catalog crawl (yangguang crawl --region) starts from.';
comment on column latest_portal_discoveries.source_id is 'the catalog entry (sources/national/portals.jsonl id)';
comment on column latest_portal_discoveries.portal_url is 'the home page checked';
comment on column latest_portal_discoveries.status is 'ok, no-column, moved, dead or browser-only';
comment on column latest_portal_discoveries.reason is 'the cause, for anything but ok';
comment on column latest_portal_discoveries.moved_to is 'where a moved portal redirects';
comment on column latest_portal_discoveries.platform is 'the portal software recognised';
comment on column latest_portal_discoveries.pages_fetched is 'pages the check requested';
comment on column latest_portal_discoveries.checked_at is 'when the latest check ran';
comment on column latest_portal_discoveries.columns is 'the 年报 columns it found, of every scope';
comment on column latest_portal_discoveries.government_columns is 'of which list the government''s own reports';
