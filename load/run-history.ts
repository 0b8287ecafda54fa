/**
 * What the warehouse knows of runs, failures, documents and sources, read for the queue UI's pages through the
 * ui-*.sql named queries. Every read goes through withReader (read-only, limited) and waits up to 10 s while the loader writes.
 */
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { query, runPrepared, type QueryName, type SqlParam } from './queries.ts';
import { withReader } from './reader.ts';
import type { SourceHealth } from './record-run.ts';

/** A recorded run: crawl_runs with its failures counted by stage and code. */
export interface RecordedRun {
  runId: string;
  status: string;
  /** ISO 8601, UTC. */
  startedAt: string;
  finishedAt: string | null;
  /** The run's counters: `<stage>:completed|failed`, `failures:<code>`, `source:<id>:<counter>`. */
  summary: Record<string, number>;
  failures: FailureCount[];
}

export interface FailureCount {
  stage: string;
  code: string;
  failures: number;
  /** Not yet marked resolved (a retry from the UI that succeeded resolves nothing here: the run's counts show it). */
  unresolved: number;
}

/** How a source fared in a recorded run, with the run and the source's name. */
export interface SourceHealthRow extends SourceHealth {
  runId: string;
  name: string | null;
}

export interface FailureRow {
  /** ISO 8601, UTC. */
  failedAt: string;
  runId: string;
  stage: string;
  sourceId: string | null;
  sourceName: string | null;
  code: string;
  reason: string;
  url: string;
  sha256: string | null;
  /** The failed document's bytes are in the archive (and its page in the UI). */
  archived: boolean;
  resolved: boolean;
}

/** Narrows the failures listed; an absent field does not narrow. */
export interface FailureFilter {
  runId?: string;
  code?: string;
  sourceId?: string;
  sha256?: string;
  /** Most rows returned; default 500. */
  limit?: number;
}

export interface DocumentRecord {
  document: {
    sha256: string;
    title: string | null;
    format: string;
    contentType: string | null;
    byteLength: number;
    archivePath: string;
    firstSeenAt: string;
    /** PDFs: pdfium or pdf.js (documents.engine). */
    engine: string | null;
    /** Why pdf.js read it (documents.engine_fallback). */
    engineFallback: string | null;
  } | null;
  sightings: Array<{
    sourceId: string;
    sourceName: string | null;
    url: string;
    finalUrl: string;
    title: string | null;
    publishedAt: string | null;
    fetchedAt: string;
    status: number;
    runId: string;
  }>;
  reports: Array<{
    parserVersion: string;
    isReport: boolean;
    issuer: string | null;
    regionName: string | null;
    level: string | null;
    year: number | null;
    format: string | null;
    anomalies: number;
  }>;
  /** A scanned document's figures with their OCR page, box (points) and confidence; empty for a text document. */
  ocrFigures: Array<{
    key: string;
    value: number | null;
    raw: string | null;
    page: number;
    boxX: number;
    boxY: number;
    boxWidth: number;
    boxHeight: number;
    confidence: number;
    pass: string;
    alternatives: string | null;
  }>;
  failures: FailureRow[];
}

export interface SourceRecord {
  source: {
    sourceId: string;
    name: string | null;
    regionCode: string | null;
    level: string | null;
    firstSeenAt: string;
    documents: number;
    reports: number;
  } | null;
  /** Its health in each run that crawled it, newest first. */
  history: Array<Omit<SourceHealthRow, 'sourceId' | 'name'> & { startedAt: string }>;
  failures: FailureRow[];
}

/** The latest `runs` runs with their failure counts, and per-source health of the latest `healthRuns`; null without a warehouse. */
export async function readRunHistory(
  file: string,
  options: { runs?: number; healthRuns?: number } = {},
): Promise<{ runs: RecordedRun[]; health: SourceHealthRow[] } | null> {
  return readWarehouse(file, async (connection) => {
    const limit = options.runs ?? 50;
    const runs = await readNamedRows<Omit<RecordedRun, 'summary' | 'failures'> & { summary: string | null }>(connection, 'ui-recent-runs', {
      limit,
    });
    const counts = await readNamedRows<FailureCount & { runId: string }>(connection, 'ui-failure-counts', { limit });
    const health = await readNamedRows<SourceHealthRow>(connection, 'ui-source-health', { limit: options.healthRuns ?? 5 });
    return {
      runs: runs.map((run) => ({
        ...run,
        summary: parseCounters(run.summary),
        failures: counts.filter((count) => count.runId === run.runId).map(({ runId: _run, ...count }) => count),
      })),
      health,
    };
  });
}

/** Recorded failures, newest first; null without a warehouse. */
export async function readFailures(file: string, filter: FailureFilter = {}): Promise<FailureRow[] | null> {
  return readWarehouse(file, (connection) => readFailureRows(connection, filter));
}

/** An archived document: its row, where it was seen, what the parser made of it, and its failures; null without a warehouse. */
export async function readDocumentRecord(file: string, sha256: string): Promise<DocumentRecord | null> {
  return readWarehouse(file, async (connection) => ({
    document: (await readNamedRows<NonNullable<DocumentRecord['document']>>(connection, 'ui-document', { sha256 }))[0] ?? null,
    sightings: await readNamedRows<DocumentRecord['sightings'][number]>(connection, 'ui-document-sightings', { sha256 }),
    reports: await readNamedRows<DocumentRecord['reports'][number]>(connection, 'ui-document-reports', { sha256 }),
    ocrFigures: await readNamedRows<DocumentRecord['ocrFigures'][number]>(connection, 'ui-document-ocr-figures', { sha256 }),
    failures: await readFailureRows(connection, { sha256 }),
  }));
}

/** A crawled source: its catalog row as kept, its health per run, and its latest failures; null without a warehouse. */
export async function readSourceRecord(file: string, sourceId: string): Promise<SourceRecord | null> {
  return readWarehouse(file, async (connection) => ({
    source: (await readNamedRows<NonNullable<SourceRecord['source']>>(connection, 'ui-source', { source_id: sourceId }))[0] ?? null,
    history: await readNamedRows<SourceRecord['history'][number]>(connection, 'ui-source-history', { source_id: sourceId, limit: 50 }),
    failures: await readFailureRows(connection, { sourceId, limit: 100 }),
  }));
}

/** What the warehouse holds, for the health page. */
export interface WarehouseHealth {
  runs: number;
  reports: number;
  /** Unresolved. */
  failures: number;
  lastRunAt: string | null;
}

/**
 * Counts of the warehouse; null without a warehouse. Waits `timeoutMs` (default 3 s) for a gap between loads, then
 * throws WarehouseLockedError: a health check must answer quickly.
 */
export async function readWarehouseHealth(file: string, options: { timeoutMs?: number } = {}): Promise<WarehouseHealth | null> {
  return readWarehouse(
    file,
    async (connection) => (await readNamedRows<WarehouseHealth>(connection, 'ui-warehouse-health', {}))[0]!,
    options.timeoutMs ?? 3000,
  );
}

function readFailureRows(connection: DuckDBConnection, filter: FailureFilter): Promise<FailureRow[]> {
  return readNamedRows<FailureRow>(connection, 'ui-failures', {
    run_id: filter.runId ?? null,
    code: filter.code ?? null,
    source_id: filter.sourceId ?? null,
    sha256: filter.sha256 ?? null,
    limit: filter.limit ?? 500,
  });
}

/** Reads through the one reader (read-only, with the reader limits), waiting `lockWaitMs` while the loader writes. */
async function readWarehouse<T>(file: string, read: (connection: DuckDBConnection) => Promise<T>, lockWaitMs = 10_000): Promise<T | null> {
  if (!existsSync(file)) return null;
  return withReader(file, read, { lockWaitMs });
}

/**
 * Runs a named query on an open reader's connection; rows as objects with camelCase keys, BIGINT as numbers (the
 * ui-*.sql and report-*.sql queries return text, counts, figures and booleans).
 */
export async function readNamedRows<T>(connection: DuckDBConnection, name: QueryName, params: Record<string, SqlParam> = {}): Promise<T[]> {
  const reader = await runPrepared(connection, query(name), params);
  const plain = (value: unknown) => (typeof value === 'bigint' ? Number(value) : value);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [camelCase(key), plain(value)])) as T);
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

/** The summary column's JSON; a counter that is not a number (a hand-edited row) is left out rather than shown wrong. */
function parseCounters(json: string | null): Record<string, number> {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  if (parsed === null || typeof parsed !== 'object') return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}
