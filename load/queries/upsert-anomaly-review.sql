-- upsert-anomaly-review: records (or changes) the decision on one anomaly of one document.
-- Parameters: $sha256 (full document hash), $anomaly_id, $state (confirmed | dismissed), $note (or NULL).
-- Keyed on (sha256, anomaly_id), so the decision holds for every parser version of the document. Returns nothing.
insert into anomaly_reviews (sha256, anomaly_id, state, note, reviewed_at)
values ($sha256, $anomaly_id, $state, $note, now())
on conflict (sha256, anomaly_id) do update set
  state       = excluded.state,
  note        = excluded.note,
  reviewed_at = excluded.reviewed_at;
