-- latest-portal-discoveries: each portal's latest check (latest_portal_discoveries) with its columns as JSON.
-- Parameters: none. Columns come government first, then by scope and URL. Returns source_id, portal_url, status, reason, moved_to, platform, pages_fetched,
-- checked_at (ISO 8601 text, UTC), columns (JSON text: an array of {url, scope, body, platform, method, evidence}).
select d.source_id, d.portal_url, d.status, d.reason, d.moved_to, d.platform, d.pages_fetched,
       strftime(d.checked_at at time zone 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') as checked_at,
       cast(coalesce(list({'url': c.url, 'scope': c.scope, 'body': c.body, 'platform': c.platform,
                           'method': c.method, 'evidence': c.evidence} order by c.scope = 'government' desc, c.scope, c.url)
                     filter (where c.url is not null), []) as json) as columns
  from latest_portal_discoveries d
  left join portal_columns c on c.source_id = d.source_id and c.checked_at = d.checked_at
 group by all
 order by d.source_id;
