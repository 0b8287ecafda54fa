/**
 * Starts the national simulator: ≥1,000 generated portals of real governments, one node:http server per host on
 * 127.0.0.1, all answered by one shared handler; returns the catalog entries (portal URLs on those ports) and the
 * manifest of what each portal planted.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { CatalogEntry } from '../../crawlers/catalog-types.ts';
import { listen, type RequestObserver } from '../http-util.ts';
import { buildPortal, createBuildRegistry, hostKeysOf, type HostsByKey, type PortalManifest } from './build-portal.ts';
import { planNationalPortals, type PortalPlan } from './plan-portals.ts';
import { answerRequest, createHost } from './site-host.ts';

export interface NationalSimulatorOptions {
  /** Number of portals (catalog entries). Default 1000. */
  portals?: number;
  /** Seed of the plan: the same seed plants the same portals. Default 1. */
  seed?: number;
  /** Latency added to every answer, in milliseconds. Default 0. */
  delayMs?: number;
  /** Sees every answered request. */
  onRequest?: RequestObserver;
  /** Interface to listen on. Default 127.0.0.1. */
  host?: string;
}

export interface NationalSimulator {
  /** One per portal; portalUrl = http://127.0.0.1:<port>/ (a closed port for a dead portal). */
  entries: CatalogEntry[];
  /** One per portal, in the order of entries. */
  manifest: PortalManifest[];
  /** The plans the portals were built from (platform, navigation, bodies). */
  plans: PortalPlan[];
  /** Number of listening servers. */
  serverCount: number;
  close(): Promise<void>;
}

/** Servers started at once; a thousand listen() calls in one go are fine but slower than batches. */
const LISTEN_BATCH = 100;

/** A port nothing listens on: bound, then released, after every simulated server has its port. */
async function closedPort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function catalogEntry(plan: PortalPlan, portalUrl: string): CatalogEntry {
  return {
    id: plan.sourceId,
    regionCode: plan.region.code,
    name: plan.region.name,
    level: plan.level,
    parentCode: plan.region.parentCode,
    path: plan.path,
    portalUrl,
  };
}

/** Starts the portals of `planNationalPortals(portals, seed)`. */
export async function startNationalSimulator(options: NationalSimulatorOptions = {}): Promise<NationalSimulator> {
  const address = options.host ?? '127.0.0.1';
  const delayMs = options.delayMs ?? 0;
  const plans = planNationalPortals(options.portals ?? 1000, options.seed ?? 1);
  const hosts: HostsByKey = new Map();
  const closers: (() => Promise<void>)[] = [];
  const keys = plans.flatMap(hostKeysOf);
  try {
    for (let start = 0; start < keys.length; start += LISTEN_BATCH) {
      await Promise.all(
        keys.slice(start, start + LISTEN_BATCH).map(async (key) => {
          const host = createHost(key, '');
          const server = await listen(address, (request, url, body) => answerRequest(host, request, url, body, delayMs), options.onRequest);
          closers.push(server.close);
          host.origin = server.origin;
          hosts.set(key, host);
        }),
      );
    }
  } catch (error) {
    await Promise.all(closers.map((close) => close()));
    throw error;
  }
  const registry = createBuildRegistry();
  const manifest = plans.map((plan) => buildPortal(plan, hosts, registry));
  const entries: CatalogEntry[] = [];
  for (const plan of plans) {
    const origin = plan.status === 'dead' ? `http://${address}:${await closedPort(address)}` : hosts.get(plan.sourceId)!.origin;
    entries.push(catalogEntry(plan, `${origin}/`));
  }
  return {
    entries,
    manifest,
    plans,
    serverCount: closers.length,
    close: async () => void (await Promise.all(closers.map((close) => close()))),
  };
}
