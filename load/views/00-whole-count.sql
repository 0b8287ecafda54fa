-- whole_count(x): a count figure as an integer (BIGINT), so that views and exports hand out 859, not 859.0.
-- A figure printed with a fraction is no count: it gives NULL here, while report_cells keeps it as printed and the
-- identities it breaks are anomalies.
create or replace macro whole_count(x) as case when x = trunc(x) then cast(x as bigint) end;
