/**
 * Reviewing anomalies: a person confirms one (the source really is inconsistent) or dismisses it (a false
 * alarm). Decisions live in anomaly_reviews keyed on (document sha256, anomaly id), apart from the anomalies a
 * parse produced, so re-processing the document with a new parser version keeps them.
 */
import { WarehouseError } from './errors.ts';
import { runQuery } from './queries.ts';
import { runReadOnlySql, type SqlResult } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

export type ReviewState = 'confirmed' | 'dismissed';

/** The anomaly to decide on does not exist, or the document prefix is ambiguous. */
export class ReviewTargetError extends WarehouseError {
  readonly code: 'ANOMALY_NOT_FOUND' | 'AMBIGUOUS_DOCUMENT';
  readonly retryable = false;
  constructor(code: 'ANOMALY_NOT_FOUND' | 'AMBIGUOUS_DOCUMENT', message: string) {
    super(message);
    this.name = 'ReviewTargetError';
    this.code = code;
  }
}

/** The anomalies of the latest reports, open ones only unless `all`; reviewed ones show their state and note. */
export async function listAnomalies(file: string, options: { all?: boolean } = {}): Promise<SqlResult> {
  return runReadOnlySql(
    file,
    `select issuer, year, anomaly_id, kind, expected, found, review_state, review_note, left(sha256, 12) as document
       from anomaly_review ${options.all ? '' : "where review_state = 'open'"}
      order by issuer, year, anomaly_id`,
  );
}

/**
 * Records a decision on anomaly `anomalyId` of the document whose sha256 is or starts with `sha256` (at least
 * 8 characters). Throws ReviewTargetError if no report of that document has that anomaly, or the prefix matches
 * several documents. Returns the full sha256.
 */
export async function reviewAnomaly(
  file: string,
  target: { sha256: string; anomalyId: string; state: ReviewState; note?: string },
): Promise<string> {
  if (target.sha256.length < 8) throw new ReviewTargetError('AMBIGUOUS_DOCUMENT', 'give at least 8 characters of the document sha256');
  return withWarehouse(file, async ({ connection }) => {
    const reader = await connection.runAndReadAll(
      `select distinct sha256
         from (select r.sha256, a.anomaly_id from anomalies a join reports r using (report_id)
               union all select sha256, anomaly_id from report_conflicts)
        where starts_with(sha256, $prefix) and anomaly_id = $anomaly_id`,
      { prefix: target.sha256.toLowerCase(), anomaly_id: target.anomalyId },
    );
    const matches = reader.getRowsJS().map(([sha256]) => String(sha256));
    if (matches.length === 0) {
      throw new ReviewTargetError('ANOMALY_NOT_FOUND', `no anomaly ${target.anomalyId} in a document ${target.sha256}…`);
    }
    if (matches.length > 1) {
      throw new ReviewTargetError('AMBIGUOUS_DOCUMENT', `${target.sha256} matches ${matches.length} documents: give more characters`);
    }
    const sha256 = matches[0]!;
    await runQuery(connection, 'upsert-anomaly-review', {
      sha256,
      anomaly_id: target.anomalyId,
      state: target.state,
      note: target.note ?? null,
    });
    return sha256;
  });
}
