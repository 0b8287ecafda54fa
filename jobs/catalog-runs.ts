/**
 * The national catalog's two recurring runs, shared by the command line and the schedules: discovering the portals
 * that are due (and recording what was found), and building crawl sources from the catalog and each portal's
 * latest discovery. Both read the catalog and the warehouse when they run, never a copy taken earlier.
 */
import type { Config } from '../config/config.ts';
import { CATALOG_HOST_DELAY_MS, filterCatalog, readCatalog, sourceFromCatalog, type CatalogFilter } from '../crawlers/catalog.ts';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { discoverPortals, type DiscoverySummary } from '../crawlers/discover/index.ts';
import type { Source } from '../crawlers/types.ts';
import { readLatestDiscoveries, recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouseWhenFree } from '../load/retry-locked.ts';

/** A portal found ok is checked again after this many days. */
export const RECHECK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether an entry needs a discovery now: never checked, not ok last time, or ok but long ago. */
export function isDue(latest: PortalDiscovery | undefined, now: Date, recheck = false): boolean {
  if (recheck || !latest || latest.status !== 'ok') return true;
  return now.getTime() - new Date(latest.checkedAt).getTime() >= RECHECK_DAYS * DAY_MS;
}

export interface DiscoverCatalogOptions {
  /** Which entries: a GB/T 2260 code prefix and/or a level; default the whole catalog. */
  filter?: CatalogFilter;
  /** Most portals discovered in this run (after skipping those not due). Default no limit. */
  limit?: number;
  /** Check again portals whose latest discovery is ok and younger than RECHECK_DAYS. Default false. */
  recheck?: boolean;
  /** The catalog file; default sources/national/portals.jsonl. */
  catalogFile?: string;
  /** Portals discovered per write to the warehouse. Default 50. */
  batchSize?: number;
}

/**
 * Discovers the due portals among the chosen catalog entries and records every discovery in the warehouse, in
 * batches; `onDiscovery` sees each one, with its catalog entry, as it is known. A run that dies loses at most one batch, and the next run
 * skips the portals already found ok.
 */
export async function discoverCatalog(
  config: Config,
  options: DiscoverCatalogOptions = {},
  onDiscovery?: (discovery: PortalDiscovery, entry: CatalogEntry | undefined) => void,
): Promise<DiscoverySummary> {
  const catalog = readCatalog(options.catalogFile ?? config.catalogFile);
  const latest = await readLatestDiscoveries(config);
  const now = new Date();
  const due = filterCatalog(catalog, options.filter ?? {})
    .filter((entry) => isDue(latest.get(entry.id), now, options.recheck))
    .slice(0, options.limit ?? Infinity);
  const byCode = new Map(catalog.filter((entry) => entry.regionCode).map((entry) => [entry.regionCode!, entry]));
  const dueById = new Map(due.map((entry) => [entry.id, entry]));
  const writer = new DiscoveryWriter(config.duckdbPath, options.batchSize ?? 50);
  const summary = await discoverPortals(
    due,
    {
      userAgent: config.userAgent,
      requestTimeoutSecs: config.requestTimeoutSecs,
      allowPrivateNetworks: config.allowPrivateNetworks,
      allowedPrivateAddresses: config.allowedPrivateAddresses,
      maxBodyBytes: config.maxPageBytes,
      concurrency: config.maxRequestsInFlight,
      delayMs: Math.max(config.hostDelayMs, CATALOG_HOST_DELAY_MS),
      parentPortalOf: (entry) => (entry.parentCode ? byCode.get(entry.parentCode)?.portalUrl : undefined),
    },
    async (discovery) => {
      onDiscovery?.(discovery, dueById.get(discovery.sourceId));
      await writer.add(discovery);
    },
  );
  await writer.flush();
  return summary;
}

/** Batches discoveries into the warehouse, one write at a time. */
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
    this.#writing = this.#writing.then(() =>
      withWarehouseWhenFree(this.duckdbPath, ({ connection }) => recordDiscoveries(connection, batch), { timeoutMs: 60_000 }),
    );
    return this.#writing;
  }
}

/** The crawlable part of the national catalog: sources for the entries with discovered columns, and the rest. */
export interface CatalogSelection {
  sources: Source[];
  /** Entries picked by the filter that discovery has found no column for (or has not checked): not crawled. */
  undiscovered: CatalogEntry[];
}

/** Sources for the catalog entries picked by `filter` (all of them for `{}`), from their latest discoveries. */
export async function catalogSources(
  config: Pick<Config, 'duckdbPath' | 'catalogFile'>,
  filter: CatalogFilter,
  catalogFile?: string,
): Promise<CatalogSelection> {
  const entries = filterCatalog(readCatalog(catalogFile ?? config.catalogFile), filter);
  const discoveries = await readLatestDiscoveries(config);
  const selection: CatalogSelection = { sources: [], undiscovered: [] };
  for (const entry of entries) {
    const source = sourceFromCatalog(entry, discoveries.get(entry.id));
    if (source) selection.sources.push(source);
    else selection.undiscovered.push(entry);
  }
  return selection;
}
