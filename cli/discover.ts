/**
 * `yangguang sources discover [--region CODE] [--level LEVEL] [--limit N] [--recheck]`: finds the 年报 columns of the
 * national catalog's portals and records each discovery in the warehouse (portal_discoveries), in batches.
 */
import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/config.ts';
import type { CatalogEntry, GovernmentLevel, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { filterCatalog, readCatalog } from '../crawlers/catalog.ts';
import { discoverPortals, type DiscoverySummary } from '../crawlers/discover/index.ts';
import { readLatestDiscoveries, recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouseWhenFree } from '../load/retry-locked.ts';

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

/** A portal found ok is checked again after this many days. */
export const RECHECK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an entry needs a discovery now: never checked, not ok last time, or ok but long ago. */
export function isDue(latest: PortalDiscovery | undefined, now: Date, recheck = false): boolean {
  if (recheck || !latest || latest.status !== 'ok') return true;
  return now.getTime() - new Date(latest.checkedAt).getTime() >= RECHECK_DAYS * DAY_MS;
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

/** Batches discoveries into the warehouse, one writer at a time, so a crash loses at most one batch. */
class DiscoveryWriter {
  readonly #pending: PortalDiscovery[] = [];
  #writing: Promise<void> = Promise.resolve();

  constructor(
    readonly duckdbPath: string,
    readonly batchSize: number,
  ) {}

  async add(discovery: PortalDiscovery): Promise<void> {
    this.#pending.push(discovery);
    if (this.#pending.length >= this.batchSize) await this.flush();
  }

  flush(): Promise<void> {
    const batch = this.#pending.splice(0);
    if (batch.length === 0) return this.#writing;
    this.#writing = this.#writing.then(() => withWarehouseWhenFree(this.duckdbPath, ({ connection }) => recordDiscoveries(connection, batch), { timeoutMs: 60_000 }));
    return this.#writing;
  }
}

/** Runs discovery over the chosen catalog entries, records the results, prints the non-ok portals and a summary. */
export async function runDiscover(config: Config, options: DiscoverCommandOptions = {}, print: (line: string) => void = console.log): Promise<DiscoverySummary> {
  const catalog = readCatalog(...(options.catalogFile ? [options.catalogFile] : []));
  const chosen = filterCatalog(catalog, { ...(options.region ? { region: options.region } : {}), ...(options.level ? { level: options.level } : {}) });
  const latest = await readLatestDiscoveries(config);
  const now = new Date();
  const due = chosen.filter((entry) => isDue(latest.get(entry.id), now, options.recheck)).slice(0, options.limit ?? Infinity);
  const byCode = new Map(catalog.filter((entry) => entry.regionCode).map((entry) => [entry.regionCode!, entry]));
  const byId = new Map(due.map((entry) => [entry.id, entry]));
  const writer = new DiscoveryWriter(config.duckdbPath, options.batchSize ?? 50);
  const summary = await discoverPortals(
    due,
    {
      userAgent: config.userAgent,
      requestTimeoutSecs: config.requestTimeoutSecs,
      concurrency: config.maxRequestsInFlight,
      delayMs: config.hostDelayMs,
      parentPortalOf: (entry) => (entry.parentCode ? byCode.get(entry.parentCode)?.portalUrl : undefined),
    },
    async (discovery) => {
      if (discovery.status !== 'ok') print(formatProblem(byId.get(discovery.sourceId), discovery));
      await writer.add(discovery);
    },
  );
  await writer.flush();
  print(formatSummary(summary));
  return summary;
}
