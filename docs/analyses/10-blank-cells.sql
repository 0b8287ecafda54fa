-- Blank cells: statutory slots the document printed empty (NULL value, but found in the document), per report —
-- a blank is not a zero. Returns issuer, year, blank_cells, tables (which of t2/t3/t4 have blanks).
select issuer, year, count(*) as blank_cells, string_agg(distinct split_part(key, '.', 1), ',' order by split_part(key, '.', 1)) as tables
  from traced_cells
 where value is null and page is not null
 group by issuer, year
 order by blank_cells desc, issuer, year;
