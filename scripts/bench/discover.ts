/**
 * Column discovery over 1,000 simulated portals (simulator/national): discoverPortals over the simulated catalog,
 * scored against the manifest of planted columns. A breakdown by platform/navigation, scope and examples of misses,
 * wrong columns and status mismatches goes to stderr, so the line on stdout stays one line.
 *
 * columns = planted columns of ok and moved portals (a moved portal's home redirects to a new host that plain HTTP
 * follows); dead portals plant none; browser-only portals' columns sit behind a JS challenge on every page, which
 * plain HTTP cannot pass, so they are not counted as findable. found = planted columns reported (URLs compared
 * without index.html and with the folder's slash); wrong = reported columns that are not planted columns of that
 * portal (news lists, look-alike columns, another government's column); status_right = portals whose status
 * (ok/dead/moved/browser-only) matches the manifest.
 */
import { discoverPortals } from '../../crawlers/discover/index.ts';
import type { CatalogEntry, PortalDiscovery } from '../../crawlers/catalog-types.ts';
import { describeScore, foundRatio, scoreDiscoveries } from '../../simulator/national/score-discovery.ts';
import { startNationalSimulator } from '../../simulator/national/start-national-simulator.ts';
import { timed, type BenchFields } from './_measure.ts';

const PORTALS = 1000;
/** Requests in flight over all portals; the simulator answers on loopback, so politeness delays are 0. */
const CONCURRENCY = 64;

/** The enclosing government's portal, from the catalog's parentCode, as the CLI passes it. */
function parentPortals(entries: CatalogEntry[]): (entry: CatalogEntry) => string | undefined {
  const byCode = new Map(entries.map((entry) => [entry.regionCode, entry.portalUrl]));
  return (entry) => (entry.parentCode ? byCode.get(entry.parentCode) : undefined);
}

/** bench discover: portals columns found wrong found_ratio status_right wall_s. */
export async function bench(): Promise<BenchFields> {
  const simulator = await startNationalSimulator({ portals: PORTALS });
  try {
    const discoveries: PortalDiscovery[] = [];
    const options = {
      userAgent: 'yangguang-bench',
      requestTimeoutSecs: 10,
      allowPrivateNetworks: true,
      delayMs: 0,
      concurrency: CONCURRENCY,
      parentPortalOf: parentPortals(simulator.entries),
    };
    const run = await timed(() => discoverPortals(simulator.entries, options, (discovery) => void discoveries.push(discovery)));
    const score = scoreDiscoveries(simulator.manifest, discoveries);
    process.stderr.write(`bench discover breakdown (by platform/navigation, scope and trait):\n${describeScore(score, 8).join('\n')}\n`);
    return {
      portals: score.portals,
      columns: score.columns,
      found: score.found,
      wrong: score.wrong,
      found_ratio: foundRatio(score),
      status_right: score.statusRight,
      wall_s: run.seconds,
    };
  } finally {
    await simulator.close();
  }
}
