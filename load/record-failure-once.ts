/**
 * Idempotent failure records: a failure is identified by (run_id, stage, url), the same key the queue gives the job
 * that records it, so re-running that job (its worker was killed after the commit) writes no second row.
 */
import type { RecordFailureJobData } from '../jobs/payloads.ts';
import { inTransaction } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** Inserts the failures row unless the run already has one for this stage and URL; resolves true if it inserted. */
export async function recordFailureOnce(warehouse: Warehouse, failure: RecordFailureJobData): Promise<boolean> {
  const { connection } = warehouse;
  return inTransaction(connection, async () => {
    const existing = await connection.runAndReadAll(
      'select 1 from failures where run_id = $1 and stage = $2 and url = $3',
      [failure.runId, failure.stage, failure.url],
    );
    if (existing.currentRowCount > 0) return false;
    await connection.run(
      'insert into failures (run_id, stage, source_id, url, sha256, code, reason) values ($1, $2, $3, $4, $5, $6, $7)',
      [failure.runId, failure.stage, failure.sourceId, failure.url, failure.sha256, failure.code, failure.reason],
    );
    return true;
  });
}
