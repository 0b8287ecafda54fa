/**
 * The crawl's memory, kept in the warehouse with the data it produced (dlt's lesson): each source's crawl in a run is
 * recorded by the single writer — page validators and links, document checks, counts — in the same transaction as
 * the documents it found gone or back and the source's catalog entry. The next crawl starts from it, read through a
 * read-only open between the writer's windows.
 */
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceCrawlState } from '../crawlers/crawl-state.ts';
import type { DocumentChecks } from '../ledger/recheck-policy.ts';
import type { BatchWriter } from './batch.ts';
import { writeDisappearances, writeReappearances } from './disappearances.ts';
import { query, runPrepared, runQuery } from './queries.ts';
import type { SourceEntry } from './record-run.ts';
import { retryWhileLocked, type LockRetryOptions } from './retry-locked.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

/** What a source's crawl counted. */
export interface CrawlCounts {
  pagesFetched: number;
  pagesNotModified: number;
  pagesSkipped: number;
  discovered: number;
  disappeared: number;
  errors: number;
  blocked: number;
}

/** One source's crawl in a run, as the crawl stage hands it to the single writer. */
export interface CrawlRecord {
  runId: string;
  /** The source as the run's crawl job was given it (kept in `sources`). */
  source: SourceEntry;
  /** What the next crawl starts from; its crawledAt is when this crawl finished (and noticed what it noticed). */
  state: SourceCrawlState;
  checks: DocumentChecks;
  /** Document URLs of the previous crawl this one no longer found. */
  disappeared: string[];
  /** Document URLs found that the previous crawl did not know: those with a disappearance on record came back. */
  reappeared: string[];
  counts: CrawlCounts;
}

/** Where a source's crawl starts: the newest recorded crawl of another run (nulls and no checks when there is none). */
export interface CrawlStart {
  state: SourceCrawlState | null;
  checks: DocumentChecks;
}

/**
 * The crawl records' batch writer (load/batch.ts): inside the window's transaction, per record, the crawl's row
 * (replacing the same run's, so a re-run job adds nothing), the source's older rows pruned to two, its catalog entry,
 * and its disappearances and returns. One result per record: true.
 */
export const recordCrawls: BatchWriter<CrawlRecord, boolean> = async (connection, records) => {
  for (const record of records) await writeCrawl(connection, record);
  return records.map(() => true);
};

async function writeCrawl(connection: DuckDBConnection, record: CrawlRecord): Promise<void> {
  const { runId, source, state, counts } = record;
  await runQuery(connection, 'insert-crawl-state', {
    source_id: source.sourceId,
    run_id: runId,
    crawled_at: state.crawledAt,
    state_version: state.version,
    pages: JSON.stringify(state.pages),
    checks: JSON.stringify(record.checks),
    pages_fetched: counts.pagesFetched,
    pages_not_modified: counts.pagesNotModified,
    pages_skipped: counts.pagesSkipped,
    discovered: counts.discovered,
    disappeared: counts.disappeared,
    errors: counts.errors,
    blocked: counts.blocked,
  });
  await runQuery(connection, 'prune-crawl-states', { source_id: source.sourceId });
  await runQuery(connection, 'upsert-source', {
    source_id: source.sourceId,
    name: source.name,
    region_code: source.regionCode,
    level: source.level,
  });
  const notice = (url: string) => ({ url, sourceId: source.sourceId, runId, noticedAt: state.crawledAt });
  await writeDisappearances(connection, record.disappeared.map(notice));
  await writeReappearances(connection, record.reappeared.map(notice));
}

/** How long a crawl waits for the writer to let go of the file before its job fails (and is retried): 30 s. */
const READ_WAIT: LockRetryOptions = { timeoutMs: 30_000 };

/** A crawl about to start: its source, and its run (whose own recorded crawl it must not start from). */
export interface CrawlAbout {
  sourceId: string;
  runId: string;
}

/**
 * Where each crawl starts, in one read-only open (waiting while the writer holds the file; `wait` adds to READ_WAIT,
 * e.g. an onWait that says so): the newest crawl of its source recorded by another run. A cold start when there is no
 * warehouse yet, or one from before crawls were recorded (a read-only open applies no migrations). One result per
 * crawl, in order.
 */
export async function readCrawlStarts(
  duckdbPath: string,
  crawls: readonly CrawlAbout[],
  wait: LockRetryOptions = {},
): Promise<CrawlStart[]> {
  const cold = (): CrawlStart => ({ state: null, checks: {} });
  if (!existsSync(duckdbPath)) return crawls.map(cold);
  return retryWhileLocked(
    () =>
      withReadOnlyWarehouse(duckdbPath, async ({ connection }) => {
        const table = await runPrepared(connection, query('table-exists'), { name: 'crawl_states' });
        if (table.currentRowCount === 0) return crawls.map(cold);
        const starts: CrawlStart[] = [];
        for (const { sourceId, runId } of crawls) {
          const reader = await runPrepared(connection, query('latest-crawl-state'), { source_id: sourceId, run_id: runId });
          const row = reader.getRowObjectsJS()[0] as
            { crawled_at: string; state_version: number; pages: string; checks: string } | undefined;
          if (!row) starts.push(cold());
          else
            starts.push({
              state: { version: Number(row.state_version), sourceId, crawledAt: row.crawled_at, pages: JSON.parse(row.pages) },
              checks: JSON.parse(row.checks) as DocumentChecks,
            });
        }
        return starts;
      }),
    { ...READ_WAIT, ...wait },
  );
}
