/**
 * The national catalog's portal health as discovery last saw it, for `yangguang status` and the UI's Portals page:
 * how many portals are in each status, the ones not ok with their reasons, and the 年报 columns found on each.
 */
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PortalStatus } from '../crawlers/catalog-types.ts';
import { hasDiscoveryTables } from './discoveries.ts';
import { query, type QueryName } from './queries.ts';
import { retryWhileLocked } from './retry-locked.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

export interface PortalStatusCount {
  status: PortalStatus;
  portals: number;
  /** ISO 8601: the latest check of a portal in this status. */
  lastCheckedAt: string;
}

/** A portal whose latest discovery is not ok. */
export interface PortalProblem {
  sourceId: string;
  portalUrl: string;
  status: Exclude<PortalStatus, 'ok'>;
  reason: string | null;
  movedTo: string | null;
  /** ISO 8601. */
  checkedAt: string;
}

/** A 年报 column of a portal's latest discovery. */
export interface FoundColumn {
  sourceId: string;
  url: string;
  scope: string;
  body: string | null;
  platform: string;
  method: string;
  evidence: string;
  /** ISO 8601: the first check that found this URL on the portal. */
  firstFoundAt: string;
  /** ISO 8601: the latest check, which found it again. */
  checkedAt: string;
}

export interface PortalHealth {
  counts: PortalStatusCount[];
  /** Most recently checked first. */
  problems: PortalProblem[];
  /** Empty unless asked for (withColumns). */
  columns: FoundColumn[];
}

/**
 * Reads the portal health, opening the warehouse read-only (waiting up to 10 s while the loader writes). Null when
 * there is no warehouse, or it holds no discovery: one from before discoveries were kept, or never discovered.
 */
export async function readPortalHealth(duckdbPath: string, options: { withColumns?: boolean } = {}): Promise<PortalHealth | null> {
  if (!existsSync(duckdbPath)) return null;
  return retryWhileLocked(() =>
    withReadOnlyWarehouse(duckdbPath, async ({ connection }) => {
      if (!(await hasDiscoveryTables(connection))) return null;
      const counts = await readRows<PortalStatusCount>(connection, 'portal-status-counts');
      if (counts.length === 0) return null;
      return {
        counts,
        problems: await readRows<PortalProblem>(connection, 'portals-not-ok'),
        columns: options.withColumns ? await readRows<FoundColumn>(connection, 'latest-portal-columns') : [],
      };
    }),
  );
}

/** Runs a query of load/queries/ and returns its rows with camelCase keys; the queries return only text and integers. */
async function readRows<T>(connection: DuckDBConnection, name: QueryName): Promise<T[]> {
  const reader = await connection.runAndReadAll(query(name));
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [camelCase(key), value])) as T);
}

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
