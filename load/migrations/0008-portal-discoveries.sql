-- 0008-portal-discoveries: what discovery learned about each portal of the national catalog
-- (sources/national/portals.jsonl): whether the portal answered, and the 政府信息公开年报 columns found on it.
-- Every check adds rows; the latest check of a portal is the one to believe (latest_portal_discoveries).
-- Also: the region table moved to shared/ and to the 2023 division codes, so `regions` is emptied here and
-- openWarehouse seeds it again (it seeds an empty table after migrating).
--   tables  portal_discoveries, portal_columns; regions (emptied, re-seeded)
--   (the view latest_portal_discoveries is in load/views/)

create table portal_discoveries (
  source_id     varchar not null,          -- the catalog entry's id (gov-320804)
  portal_url    varchar not null,          -- the home page checked
  status        varchar not null,          -- ok | no-column | moved | dead | browser-only
  reason        varchar,                   -- why, for anything but ok
  moved_to      varchar,                   -- where a moved portal redirects
  platform      varchar,                   -- portal software recognised (trs, hanweb, …)
  pages_fetched integer not null,          -- requests the check made
  checked_at    timestamptz not null,      -- when the check ran
  primary key (source_id, checked_at)
);

create table portal_columns (
  source_id  varchar not null,             -- portal_discoveries.source_id
  checked_at timestamptz not null,         -- portal_discoveries.checked_at: the check that found it
  url        varchar not null,             -- the column's list page
  scope      varchar not null,             -- government | department | township
  body       varchar,                      -- the department or township whose reports it lists, when named
  platform   varchar not null,             -- portal software of the column's pages
  method     varchar not null,             -- how it was found (link-text, path-guess, …)
  evidence   varchar not null,             -- why it is believed to be a 年报 column
  primary key (source_id, checked_at, url)
);

comment on table portal_discoveries is 'One check of one national-catalog portal by discovery (yangguang sources discover): what the home page answered and what was concluded; a portal has one row per check.';
comment on column portal_discoveries.source_id is 'the catalog entry checked (sources/national/portals.jsonl id, e.g. gov-320804)';
comment on column portal_discoveries.portal_url is 'the portal home page checked';
comment on column portal_discoveries.status is 'ok (a government 年报 column found), no-column, moved, dead, or browser-only (answers scripts with an anti-bot challenge)';
comment on column portal_discoveries.reason is 'for anything but ok: the cause in a sentence (HTTP 521 challenge, ENOTFOUND, redirected to …); NULL when ok';
comment on column portal_discoveries.moved_to is 'where the home page redirects off its host, for status moved';
comment on column portal_discoveries.platform is 'the portal software recognised (trs, hanweb, vsb, gkmlpt, …), NULL when unrecognised';
comment on column portal_discoveries.pages_fetched is 'how many pages the check requested';
comment on column portal_discoveries.checked_at is 'when the check ran; the latest per source_id is the one to believe';

comment on table portal_columns is 'A 政府信息公开年报 column found on a portal by one check (portal_discoveries row with the same source_id and checked_at).';
comment on column portal_columns.source_id is 'the portal''s catalog entry (portal_discoveries.source_id)';
comment on column portal_columns.checked_at is 'the check that found it (portal_discoveries.checked_at)';
comment on column portal_columns.url is 'the column''s list page: where a crawl of this portal starts';
comment on column portal_columns.scope is 'whose reports it lists: government (the portal''s own), department or township';
comment on column portal_columns.body is 'the department or township named for a department or township column (财政局, 河东乡); NULL when not named';
comment on column portal_columns.platform is 'portal software of the column''s pages';
comment on column portal_columns.method is 'how it was found: link-text, platform-page, path-guess, xxgk-subdomain, parent-portal or report-url';
comment on column portal_columns.evidence is 'why it is believed: the link text or title matched, report titles seen on it, the path tried';

delete from regions;
comment on table regions is 'GB/T 2260 regions (province, prefecture, county) with their parent: the 2023 division codes, and the names and codes of 2019 and 2021 changed since; seeded from shared/data/regions.ts.';
comment on column regions.former is 'a code or name of 2019 or 2021 retired since (海门市 320684)';
