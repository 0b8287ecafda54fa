-- Rows of one table whose text (every column, cast to VARCHAR) holds the canary secret.
-- Parameters: $table (a table name from canary-tables.sql), $canary. Returns: hits.
select count(*) as hits from query_table($table) as row_value where cast(row_value as varchar) like '%' || $canary || '%'
