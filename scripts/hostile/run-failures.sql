-- The failures a run recorded, for the network probes. Parameters: $run. Returns: stage, url, code, reason.
select stage, url, code, reason from failures where run_id = $run order by stage, url
