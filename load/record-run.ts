/** Records what happened outside any one document: failed jobs, and each crawl run with its per-source health. */
import type { RecordFailureJobData } from '../jobs/payloads.ts';
import { inTransaction, runQuery } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** How one source fared in a run. */
export interface SourceHealth {
  sourceId: string;
  pagesFetched: number;
  reportsFound: number;
  newDocuments: number;
  /** Documents whose content changed since an earlier run. */
  changed: number;
  /** Requests refused by the portal (403, captcha, WAF page). */
  blocked: number;
  errors: number;
  /** The source needs a human look (e.g. no reports found). */
  flagged: boolean;
  note: string | null;
}

/** A crawl run's outcome, as the run tracker reports it once every job has settled. */
export interface RunRecord {
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, or null while unfinished. */
  finishedAt: string | null;
  /** e.g. finished | finished_with_failures */
  status: string;
  /** The run's counters, e.g. `{"fetch:completed": 12}`; stored as JSON. */
  summary: Record<string, number>;
  health: SourceHealth[];
}

/** Inserts a failures row (failed_at now, resolved false). */
export async function recordFailure(warehouse: Warehouse, failure: RecordFailureJobData): Promise<void> {
  await runQuery(warehouse.connection, 'insert-failure', {
    run_id: failure.runId,
    stage: failure.stage,
    source_id: failure.sourceId,
    url: failure.url,
    sha256: failure.sha256,
    code: failure.code,
    reason: failure.reason,
  });
}

/** Upserts the run and replaces its source_health rows, in one transaction: recording a run twice is a no-op. */
export async function recordRun(warehouse: Warehouse, run: RunRecord): Promise<void> {
  const { connection } = warehouse;
  await inTransaction(connection, async () => {
    await runQuery(connection, 'upsert-run', {
      run_id: run.runId,
      status: run.status,
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      summary: JSON.stringify(run.summary),
    });
    await connection.run('delete from source_health where run_id = $1', [run.runId]);
    for (const health of run.health) await insertHealth(warehouse, run.runId, health);
  });
}

async function insertHealth(warehouse: Warehouse, runId: string, health: SourceHealth): Promise<void> {
  await warehouse.connection.run(
    `insert into source_health (run_id, source_id, pages_fetched, reports_found, new_documents, changed, blocked,
                                errors, flagged, note)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      runId,
      health.sourceId,
      health.pagesFetched,
      health.reportsFound,
      health.newDocuments,
      health.changed,
      health.blocked,
      health.errors,
      health.flagged,
      health.note,
    ],
  );
}
