-- insert-portal-columns: the columns those checks found; a column already recorded for its check is left as it is.
-- Parameters: $columns (JSON text: an array of ReportColumn objects, each with its check's sourceId and checkedAt).
insert or ignore into portal_columns
select c ->> 'sourceId', cast(c ->> 'checkedAt' as timestamptz), c ->> 'url', c ->> 'scope', c ->> 'body',
       c ->> 'platform', c ->> 'method', c ->> 'evidence'
  from (select unnest(cast(cast($columns as json) as json[])) as c);
