-- latest-portal-columns: the 年报 columns of each portal's latest discovery, with when each was first found.
-- Parameters: none. Returns, by portal then government columns first: source_id, url, scope, body, platform, method,
-- evidence, first_found_at (the earliest check that found this URL on this portal) and checked_at (the latest
-- check, which found it again), both ISO 8601 text, UTC.
with first_found as (
  select source_id, url, min(checked_at) as checked_at from portal_columns group by source_id, url
)
select c.source_id, c.url, c.scope, c.body, c.platform, c.method, c.evidence,
       strftime(f.checked_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as first_found_at,
       strftime(c.checked_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as checked_at
  from latest_portal_discoveries d
  join portal_columns c on c.source_id = d.source_id and c.checked_at = d.checked_at
  join first_found f on f.source_id = c.source_id and f.url = c.url
 order by c.source_id, c.scope = 'government' desc, c.scope, c.url;
