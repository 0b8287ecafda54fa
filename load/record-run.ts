/** Records what happened outside any one document: failed jobs, and each crawl run with its per-source health. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { BatchWriter } from './batch.ts';
import { lastSourceHealth } from './known-documents.ts';
import { appendRows, inTransaction, readQuery, runQuery, runScript } from './queries.ts';
import { assessSourceHealth } from '../ledger/source-health.ts';
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
  const [inserted] = await inTransaction(connection, () => recordFailures(connection, [failure]));
  return inserted!;
}

/**
 * The failure records' batch writer (see batch.ts): inserts each failure the failures table does not hold yet (by run,
 * stage and URL; within the batch the first wins). One result per failure: whether it inserted it.
 */
export const recordFailures: BatchWriter<FailureRecord, boolean> = async (connection, failures) => {
  await runScript(connection, 'batch-staging');
  const keyOf = (runId: string, stage: string, url: string) => JSON.stringify([runId, stage, url]);
  const first = new Map<string, FailureRecord>();
  for (const failure of failures) {
    const key = keyOf(failure.runId, failure.stage, failure.url);
    if (!first.has(key)) first.set(key, failure);
  }
  await appendRows(
    connection,
    'staged_failures',
    [...first.values()].map((f) => [f.runId, f.stage, f.sourceId, f.url, f.sha256, f.code, f.reason]),
  );
  const recorded = await readQuery<{ run_id: string; stage: string; url: string }>(connection, 'batch-existing-failures');
  const existing = new Set(recorded.map((row) => keyOf(row.run_id, row.stage, row.url)));
  await runQuery(connection, 'batch-insert-failures', {});
  return failures.map((failure) => {
    const key = keyOf(failure.runId, failure.stage, failure.url);
    return !existing.has(key) && first.get(key) === failure;
  });
};

/** A finished run as the run tracker left it, before its sources' health is judged against their previous runs. */
export interface RunSummary {
  runId: string;
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601, or null while unfinished. */
  finishedAt: string | null;
  /** e.g. finished | finished_with_failures | cancelled */
  status: string;
  /** The run's counters, stored as JSON. */
  summary: Record<string, number>;
  /** Each crawled source's counts, and how many of its documents were no longer listed. */
  sources: (Omit<SourceHealth, 'flagged' | 'note'> & { disappeared: number })[];
  /** Why the sources' health is not judged in this run (a filtered crawl), or absent when it is. */
  healthNotJudged?: string;
}

/**
 * The run summaries' batch writer (see batch.ts): judges each source's health against its previous run, records the
 * run (recordRun). One result per summary: the run as recorded. (Each crawl's catalog entry, disappearances and returns
 * were recorded with the crawl: load/crawl-states.ts.)
 */
export const recordRunSummaries: BatchWriter<RunSummary, RunRecord> = async (connection, summaries) => {
  const recorded: RunRecord[] = [];
  for (const summary of summaries) {
    const health: SourceHealth[] = [];
    for (const { disappeared, ...counts } of summary.sources) {
      const previous = await lastSourceHealth({ connection }, counts.sourceId, summary.runId);
      const flag = summary.healthNotJudged
        ? { flagged: false, note: summary.healthNotJudged }
        : assessSourceHealth({ reportsFound: counts.reportsFound, disappeared }, previous);
      health.push({ ...counts, ...flag });
    }
    const { runId, startedAt, finishedAt, status } = summary;
    const run: RunRecord = { runId, startedAt, finishedAt, status, summary: summary.summary, health };
    await writeRun(connection, run);
    recorded.push(run);
  }
  return recorded;
};

/**
 * Upserts the run, replaces its source_health rows and updates the sources it crawled, in one transaction:
 * recording a run twice is a no-op.
 */
export async function recordRun(warehouse: Warehouse, run: RunRecord): Promise<void> {
  await inTransaction(warehouse.connection, () => writeRun(warehouse.connection, run));
}

/** recordRun inside the caller's transaction. */
async function writeRun(connection: DuckDBConnection, run: RunRecord): Promise<void> {
  await runQuery(connection, 'upsert-run', {
    run_id: run.runId,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    summary: JSON.stringify(run.summary),
  });
  await connection.run('delete from source_health where run_id = $1', [run.runId]);
  for (const health of run.health) await insertHealth(connection, run.runId, health);
  for (const source of run.sources ?? []) await upsertSource(connection, source);
}

/** A catalog entry's name, region and level; a region or level the catalog leaves out keeps what was known. */
async function upsertSource(connection: DuckDBConnection, source: SourceEntry): Promise<void> {
  await runQuery(connection, 'upsert-source', {
    source_id: source.sourceId,
    name: source.name,
    region_code: source.regionCode,
    level: source.level,
  });
}

async function insertHealth(connection: DuckDBConnection, runId: string, health: SourceHealth): Promise<void> {
  await connection.run(
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
