-- run-source-flags: each source's health flag in a run, as its summary recorded it (yangguang status).
-- Parameters: $run_id. Returns source_id, flagged, note; none while the run is not recorded.
select source_id, flagged, note from source_health where run_id = $run_id;
