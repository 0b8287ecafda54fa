/**
 * Discovery of many portals at once: a few portals at a time, every request through one HostScheduler (a global cap
 * on requests in flight, one request at a time per host, delayMs between two starts on a host, hosts served in turn
 * so that a parent portal shared by many counties neither starves the others nor is hammered), each result handed to
 * `onResult` as soon as it is known. Only results are kept, never page bodies.
 */
import type { CatalogEntry, PortalDiscovery } from '../catalog-types.ts';
import type { DiscoverOptions } from './discover-options.ts';
import { discoverPortal } from './discover-portal.ts';
import { HostScheduler } from '../host-scheduler.ts';

export interface DiscoverPortalsOptions extends Omit<DiscoverOptions, 'scheduler' | 'parentPortalUrl'> {
  /** Most requests in flight over all portals and hosts. */
  concurrency: number;
  /** Portals discovered at once; default 2 × concurrency (a portal waits on its host's pause most of the time). */
  portalConcurrency?: number;
  /** The enclosing government's portal of an entry (from the catalog's parentCode), searched when its own has no column. */
  parentPortalOf?: (entry: CatalogEntry) => string | undefined;
}

/** Counts of a discovery run, by status, plus the columns found. */
export interface DiscoverySummary {
  portals: number;
  ok: number;
  columns: number;
  moved: number;
  dead: number;
  browserOnly: number;
  noColumn: number;
}

/** An empty summary, to be filled with countDiscovery. */
export function emptySummary(): DiscoverySummary {
  return { portals: 0, ok: 0, columns: 0, moved: 0, dead: 0, browserOnly: 0, noColumn: 0 };
}

/** Adds one discovery to a summary. */
export function countDiscovery(summary: DiscoverySummary, discovery: PortalDiscovery): void {
  summary.portals++;
  summary.columns += discovery.columns.length;
  if (discovery.status === 'ok') summary.ok++;
  else if (discovery.status === 'moved') summary.moved++;
  else if (discovery.status === 'dead') summary.dead++;
  else if (discovery.status === 'browser-only') summary.browserOnly++;
  else summary.noColumn++;
}

/**
 * Discovers every entry's columns, at most `concurrency` requests in flight; calls `onResult` (awaited, so a slow
 * writer slows discovery rather than piling results up) with each discovery in the order they finish. Returns
 * the counts.
 */
export async function discoverPortals(
  entries: Iterable<CatalogEntry>,
  options: DiscoverPortalsOptions,
  onResult?: (discovery: PortalDiscovery) => void | Promise<void>,
): Promise<DiscoverySummary> {
  const scheduler = new HostScheduler({ maxInFlight: Math.max(1, options.concurrency) });
  const summary = emptySummary();
  const queue = entries[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = queue.next(); !next.done; next = queue.next()) {
      const entry = next.value;
      const parentPortalUrl = options.parentPortalOf?.(entry);
      const discovery = await discoverPortal(entry, { ...options, scheduler, ...(parentPortalUrl ? { parentPortalUrl } : {}) });
      countDiscovery(summary, discovery);
      await onResult?.(discovery);
    }
  };
  const workers = Math.max(1, options.portalConcurrency ?? options.concurrency * 2);
  await Promise.all(Array.from({ length: workers }, worker));
  return summary;
}
