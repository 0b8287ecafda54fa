-- insert-portal-discoveries: many checks of national-catalog portals at once; a check already recorded (same
-- source and time) is left as it is, so recording the same discoveries again is a no-op.
-- Parameters: $discoveries (JSON text: an array of PortalDiscovery objects, crawlers/catalog-types.ts).
insert or ignore into portal_discoveries
select d ->> 'sourceId', d ->> 'portalUrl', d ->> 'status', d ->> 'reason', d ->> 'movedTo', d ->> 'platform',
       cast(d ->> 'pagesFetched' as integer), cast(d ->> 'checkedAt' as timestamptz)
  from (select unnest(cast(cast($discoveries as json) as json[])) as d);
