-- portal-status-counts: how many catalog portals are in each status by their latest discovery (latest_portal_discoveries).
-- Parameters: none. Returns one row per status present, ok first then by count: status, portals (integer),
-- last_checked_at (ISO 8601 text, UTC: the latest check of a portal in that status).
select status,
       cast(count(*) as integer) as portals,
       strftime(max(checked_at) at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as last_checked_at
  from latest_portal_discoveries
 group by status
 order by status = 'ok' desc, portals desc, status;
