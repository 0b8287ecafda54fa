/** What earlier runs know about a URL or a source: validators for conditional re-fetches, the last health row. */
import type { PreviousHealth } from '../ledger/source-health.ts';
import { query, runPrepared } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** The validators and content hash of a URL's latest successful fetch, and whether its document is a report. */
export interface KnownSighting {
  sha256: string;
  etag: string | null;
  lastModified: string | null;
  /** Some parse of the document was loaded as an annual report (an unchanged report still counts as found). */
  isReport: boolean;
}

/** The latest successful sighting of `url`, or null when it was never loaded. */
export async function lookupSighting(warehouse: Warehouse, url: string): Promise<KnownSighting | null> {
  const reader = await runPrepared(warehouse.connection, query('lookup-sighting'), { url });
  const row = reader.getRowObjectsJS()[0] as
    { sha256: string; etag: string | null; last_modified: string | null; is_report: boolean } | undefined;
  return row ? { sha256: row.sha256, etag: row.etag, lastModified: row.last_modified, isReport: row.is_report === true } : null;
}

/** The source's health row of its most recent run other than `runId`, or null. */
export async function lastSourceHealth(
  warehouse: Pick<Warehouse, 'connection'>,
  sourceId: string,
  runId: string,
): Promise<PreviousHealth | null> {
  const reader = await runPrepared(warehouse.connection, query('last-source-health'), { source_id: sourceId, run_id: runId });
  const row = reader.getRowObjectsJS()[0] as { run_id: string; reports_found: number; pages_fetched: number } | undefined;
  return row ? { runId: row.run_id, reportsFound: Number(row.reports_found), pagesFetched: Number(row.pages_fetched) } : null;
}
