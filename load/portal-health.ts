/**
 * The national catalog's portal health as discovery last saw it, for `yangguang status` and the UI's Portals page:
 * how many portals are in each status, the ones not ok with their reasons, and the 年报 columns found on each.
 */
import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PortalStatus } from '../crawlers/catalog-types.ts';
import { hasDiscoveryTables } from './discoveries.ts';
import { query, type QueryName } from './queries.ts';
import { withReader, type ReaderLimits } from './reader.ts';

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

export interface PortalHealthOptions {
  /** Also read every portal's 年报 columns (the UI's Portals page). */
  withColumns?: boolean;
  /** The reader's time and memory limits; default DEFAULT_READER_LIMITS. */
  limits?: ReaderLimits;
}

/**
 * Reads the portal health through withReader (read-only, within the reader limits, waiting up to 10 s while the
 * loader writes). Null when there is no warehouse, or it holds no discovery: one from before discoveries were kept,
 * or never discovered.
 */
export async function readPortalHealth(duckdbPath: string, options: PortalHealthOptions = {}): Promise<PortalHealth | null> {
  if (!existsSync(duckdbPath)) return null;
  const read = async (connection: DuckDBConnection): Promise<PortalHealth | null> => {
    if (!(await hasDiscoveryTables(connection))) return null;
    const counts = await readRows<PortalStatusCount>(connection, 'portal-status-counts');
    if (counts.length === 0) return null;
    return {
      counts,
      problems: await readRows<PortalProblem>(connection, 'portals-not-ok'),
      columns: options.withColumns ? await readRows<FoundColumn>(connection, 'latest-portal-columns') : [],
    };
  };
  return withReader(duckdbPath, read, { limits: options.limits, lockWaitMs: 10_000 });
}

/** Runs a query of load/queries/ and returns its rows with camelCase keys; the queries return only text and integers. */
async function readRows<T>(connection: DuckDBConnection, name: QueryName): Promise<T[]> {
  const reader = await connection.runAndReadAll(query(name));
  return reader.getRowObjectsJS().map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [camelCase(key), value])) as T);
}

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
