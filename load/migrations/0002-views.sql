-- 0002-views: once the views users query (latest_reports, report_summary, table3_wide, traced_cells). Every view
-- is now defined once, in load/views/, and applied after the migrations (load/apply-views.ts): nothing left here.
select 1;
