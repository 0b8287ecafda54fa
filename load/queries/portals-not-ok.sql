-- portals-not-ok: the portals whose latest discovery is not ok (no-column, moved, dead, browser-only), with why.
-- Parameters: none. Returns, most recently checked first: source_id, portal_url, status, reason, moved_to,
-- checked_at (ISO 8601 text, UTC).
select source_id, portal_url, status, reason, moved_to,
       strftime(checked_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%SZ') as checked_at
  from latest_portal_discoveries
 where status <> 'ok'
 order by checked_at desc, source_id;
