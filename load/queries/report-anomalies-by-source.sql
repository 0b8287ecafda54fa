-- report-anomalies-by-source: the latest reports' anomalies (failed 勾稽关系 and missing figures) per source and
-- review state. Parameters: none. Returns source_id, review_state (open | confirmed | dismissed), anomalies (integer).
select source_id, review_state, cast(count(*) as integer) as anomalies
  from anomaly_review
 group by all
 order by source_id, review_state;
