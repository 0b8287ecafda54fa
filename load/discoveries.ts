/**
 * What discovery learned about the national catalog's portals, kept in the warehouse (portal_discoveries,
 * portal_columns; 0008): every check is added, and the latest check of each portal is read back for the crawl.
 */
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PortalDiscovery, ReportColumn } from '../crawlers/catalog-types.ts';
import { inTransaction, query, runPrepared } from './queries.ts';
import { withReader, type ReaderLimits } from './reader.ts';

/**
 * Adds the discoveries and their columns in one transaction. A discovery already recorded (same source, same
 * checkedAt) is kept as it was, so recording the same batch twice changes nothing.
 */
export async function recordDiscoveries(connection: DuckDBConnection, discoveries: readonly PortalDiscovery[]): Promise<void> {
  if (discoveries.length === 0) return;
  const columns = discoveries.flatMap((discovery) =>
    discovery.columns.map((column) => ({
      ...column,
      body: column.body ?? null,
      sourceId: discovery.sourceId,
      checkedAt: discovery.checkedAt,
    })),
  );
  await inTransaction(connection, async () => {
    await runPrepared(connection, query('insert-portal-discoveries'), { discoveries: JSON.stringify(discoveries) });
    if (columns.length > 0) await runPrepared(connection, query('insert-portal-columns'), { columns: JSON.stringify(columns) });
  });
}

/**
 * Each portal's latest discovery, by source id. Reads through withReader (read-only, within the reader limits — by
 * default DEFAULT_READER_LIMITS — waiting up to 10 s while the loader writes); an empty map when there is no warehouse
 * yet, or one from before discoveries were kept.
 */
export async function readLatestDiscoveries(
  config: { duckdbPath: string },
  options: { limits?: ReaderLimits } = {},
): Promise<Map<string, PortalDiscovery>> {
  if (!existsSync(config.duckdbPath)) return new Map();
  const read = async (connection: DuckDBConnection): Promise<Map<string, PortalDiscovery>> => {
    if (!(await hasDiscoveryTables(connection))) return new Map();
    const reader = await connection.runAndReadAll(query('latest-portal-discoveries'));
    const discoveries = reader.getRowObjectsJS().map(toDiscovery);
    return new Map(discoveries.map((discovery) => [discovery.sourceId, discovery]));
  };
  return withReader(config.duckdbPath, read, { limits: options.limits, lockWaitMs: 10_000 });
}

/** A read-only open applies no migrations: a warehouse written by an older version has no such view. */
export async function hasDiscoveryTables(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(
    "select count(*) as n from duckdb_views() where schema_name = 'main' and view_name = 'latest_portal_discoveries'",
  );
  return Number(reader.getRowObjectsJS()[0]?.n ?? 0) > 0;
}

function toDiscovery(row: Record<string, unknown>): PortalDiscovery {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const columns = (JSON.parse(String(row.columns)) as Array<ReportColumn & { body: string | null }>).map(({ body, ...column }) =>
    body === null ? column : { ...column, body },
  );
  return {
    sourceId: String(row.source_id),
    portalUrl: String(row.portal_url),
    status: String(row.status) as PortalDiscovery['status'],
    reason: text(row.reason),
    movedTo: text(row.moved_to),
    platform: text(row.platform) as PortalDiscovery['platform'],
    columns,
    pagesFetched: Number(row.pages_fetched),
    checkedAt: String(row.checked_at),
  };
}
