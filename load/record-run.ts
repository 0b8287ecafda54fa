/** Records what happened outside any one document: failed jobs, and each crawl run with its per-source health. */
import { inTransaction, runPrepared, runQuery } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** A job that failed for good, as the failures table keeps it. */
export interface FailureRecord {
  runId: string;
  /** The pipeline stage it failed in (crawl, fetch, extract, parse, load). */
  stage: string;
  url: string;
  sha256: string | null;
  sourceId: string | null;
  code: string;
  reason: string;
}

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

/** What the sources catalog says about a crawled source, kept in `sources`. */
export interface SourceEntry {
  sourceId: string;
  name: string;
  regionCode: string | null;
  level: string | null;
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
  /** The crawled sources as the catalog describes them (the latest run's description wins). */
  sources?: SourceEntry[];
}

/**
 * Inserts a failures row (failed_at now, resolved false) unless the run already has one for this stage and URL — the
 * key the queue gives the job recording it, so re-running that job (its worker killed after the commit) adds no
 * second row. Resolves true if it inserted.
 */
export async function recordFailure(warehouse: Warehouse, failure: FailureRecord): Promise<boolean> {
  const { connection } = warehouse;
  return inTransaction(connection, async () => {
    const existing = await runPrepared(connection, 'select 1 from failures where run_id = $1 and stage = $2 and url = $3', [failure.runId, failure.stage, failure.url]);
    if (existing.currentRowCount > 0) return false;
    await runQuery(connection, 'insert-failure', {
      run_id: failure.runId,
      stage: failure.stage,
      source_id: failure.sourceId,
      url: failure.url,
      sha256: failure.sha256,
      code: failure.code,
      reason: failure.reason,
    });
    return true;
  });
}

/**
 * Upserts the run, replaces its source_health rows and updates the sources it crawled, in one transaction:
 * recording a run twice is a no-op.
 */
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
    for (const source of run.sources ?? []) await upsertSource(warehouse, source);
  });
}

/** A catalog entry's name, region and level; a region or level the catalog leaves out keeps what was known. */
async function upsertSource(warehouse: Warehouse, source: SourceEntry): Promise<void> {
  await warehouse.connection.run(
    `insert into sources (source_id, name, region_code, level) values ($1, $2, $3, $4)
     on conflict (source_id) do update set name = excluded.name,
       region_code = coalesce(excluded.region_code, region_code), level = coalesce(excluded.level, level)`,
    [source.sourceId, source.name, source.regionCode, source.level],
  );
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
