-- table-exists: whether the warehouse has a table (a read-only open applies no migrations: an older file may lack one).
-- Parameters: $name. Returns one row when the table exists, none otherwise.
select 1 from duckdb_tables() where schema_name = 'main' and table_name = $name;
