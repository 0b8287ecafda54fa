/**
 * `yangguang sources discover [--region CODE] [--level LEVEL] [--limit N] [--recheck]`: finds the 年报 columns of the
 * national catalog's portals and records each discovery in the warehouse (portal_discoveries), in batches.
 */
import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/config.ts';
import type { CatalogEntry, GovernmentLevel, PortalDiscovery } from '../crawlers/catalog-types.ts';
import type { DiscoverySummary } from '../crawlers/discover/index.ts';
import { discoverCatalog } from '../jobs/catalog-runs.ts';

export interface DiscoverCommandOptions {
  /** A GB/T 2260 code prefix (32, 3208, 320804). */
  region?: string;
  level?: GovernmentLevel;
  /** Most portals discovered in this run (after skipping the recently checked ones). */
  limit?: number;
  /** Check again portals whose latest discovery is ok and younger than RECHECK_DAYS. */
  recheck?: boolean;
  /** The catalog file; default sources/national/portals.jsonl. */
  catalogFile?: string;
  /** Portals discovered per run of recordDiscoveries. Default 50. */
  batchSize?: number;
}

/** Commander's parser of --limit: a whole number of portals. */
export function parseLimit(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of portals, e.g. 100');
  return Number(value);
}

/** The summary line: `discover: portals=… ok=… columns=… moved=… dead=… browser_only=… no_column=…`. */
export function formatSummary(summary: DiscoverySummary): string {
  const { portals, ok, columns, moved, dead, browserOnly, noColumn } = summary;
  return `discover: portals=${portals} ok=${ok} columns=${columns} moved=${moved} dead=${dead} browser_only=${browserOnly} no_column=${noColumn}`;
}

/** One line for a portal that is not ok: id, status, reason. */
export function formatProblem(entry: CatalogEntry | undefined, discovery: PortalDiscovery): string {
  const moved = discovery.movedTo ? ` → ${discovery.movedTo}` : '';
  return `${discovery.sourceId} ${entry?.name ?? ''} ${discovery.status}${moved}: ${discovery.reason ?? ''}`.replace(/\s+/g, ' ').trim();
}

/** Runs discovery over the chosen catalog entries, records the results, prints the non-ok portals and a summary. */
export async function runDiscover(
  config: Config,
  options: DiscoverCommandOptions = {},
  print: (line: string) => void = console.log,
): Promise<DiscoverySummary> {
  const filter = { ...(options.region ? { region: options.region } : {}), ...(options.level ? { level: options.level } : {}) };
  const summary = await discoverCatalog(config, { ...options, filter }, (discovery, entry) => {
    if (discovery.status !== 'ok') print(formatProblem(entry, discovery));
  });
  print(formatSummary(summary));
  return summary;
}
