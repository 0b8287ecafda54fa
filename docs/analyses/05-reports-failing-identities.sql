-- Reports that fail identities (勾稽关系, CONTRACT.md): latest reports with identity anomalies, how many, and which.
-- Returns issuer, year, failures, anomaly_ids (sorted, comma-separated).
select issuer, year, count(*) as failures, string_agg(anomaly_id, ',' order by anomaly_id) as anomaly_ids
  from anomaly_review
 where kind = 'identity'
 group by issuer, year
 order by failures desc, issuer, year;
