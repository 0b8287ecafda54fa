-- The warehouse's tables, for the hostile suite's canary search. Returns: table_name.
select table_name from information_schema.tables where table_type = 'BASE TABLE' order by table_name
