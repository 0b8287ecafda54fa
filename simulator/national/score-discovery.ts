/**
 * Scores discoveries against the national simulator's manifest: planted columns found, columns taken that were not
 * planted on that portal (a news list, a look-alike column, another government's column), and portal statuses.
 *
 * What counts as findable: the planted columns of `ok` and `moved` portals (a moved portal's home page redirects to
 * its new host, which plain HTTP follows). A dead portal plants nothing. A browser-only portal's columns exist but
 * every page answers a JS challenge, so plain HTTP cannot see them: they are left out of `columns` (and a
 * discovery that claimed one anyway would count as wrong only if it were not planted).
 */
import type { PortalDiscovery } from '../../crawlers/catalog-types.ts';
import type { PortalManifest } from './build-portal.ts';

/** Planted and discovered counts of one shape (platform/navigation, or status). */
export interface ShapeScore {
  columns: number;
  found: number;
  wrong: number;
}

export interface DiscoveryScore {
  portals: number;
  /** Planted columns of reachable (ok and moved) portals. */
  columns: number;
  /** Planted columns of reachable portals that discovery reported. */
  found: number;
  /** Discovered columns that are not planted columns of their portal. */
  wrong: number;
  /** Found columns reported with another scope than planted (government vs department vs township). */
  scopeWrong: number;
  /** Portals whose status (ok, dead, moved, browser-only) matches the manifest. */
  statusRight: number;
  /** Portals with no discovery at all. */
  undiscovered: number;
  /** By `<platform>/<navigation>`, by `scope:<scope>` and by `trait:<trait>` (manifest traits). */
  byShape: Map<string, ShapeScore>;
  missed: { sourceId: string; url: string; shape: string }[];
  wrongColumns: { sourceId: string; url: string; shape: string; decoy: boolean }[];
  statusMismatches: { sourceId: string; planted: string; discovered: string; reason: string | null }[];
}

/** A column URL in one form: no fragment, no index.html/index.shtml/index.htm, folders with their slash. */
export function normalizeColumnUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  url.pathname = url.pathname.replace(/\/index\.s?html?$/i, '/');
  return url.href;
}

function shapeOf(portal: PortalManifest): string {
  return `${portal.platform}/${portal.navigation}`;
}

function tally(byShape: Map<string, ShapeScore>, shape: string, field: keyof ShapeScore): void {
  const score = byShape.get(shape) ?? { columns: 0, found: 0, wrong: 0 };
  score[field]++;
  byShape.set(shape, score);
}

/** Scores one discovery per portal (matched by sourceId) against the manifest. */
export function scoreDiscoveries(manifest: PortalManifest[], discoveries: PortalDiscovery[]): DiscoveryScore {
  const bySource = new Map(discoveries.map((discovery) => [discovery.sourceId, discovery]));
  const score: DiscoveryScore = {
    portals: manifest.length,
    columns: 0,
    found: 0,
    wrong: 0,
    scopeWrong: 0,
    statusRight: 0,
    undiscovered: 0,
    byShape: new Map(),
    missed: [],
    wrongColumns: [],
    statusMismatches: [],
  };
  for (const portal of manifest) {
    const discovery = bySource.get(portal.sourceId);
    if (!discovery) score.undiscovered++;
    if (discovery?.status === portal.status) score.statusRight++;
    else
      score.statusMismatches.push({
        sourceId: portal.sourceId,
        planted: portal.status,
        discovered: discovery?.status ?? 'none',
        reason: discovery?.reason ?? null,
      });
    const shape = shapeOf(portal);
    const planted = new Map(portal.columns.map((column) => [normalizeColumnUrl(column.url), column]));
    const discovered = new Map((discovery?.columns ?? []).map((column) => [normalizeColumnUrl(column.url), column]));
    const decoys = new Set(portal.decoyColumns.map(normalizeColumnUrl));
    if (portal.status === 'ok' || portal.status === 'moved') {
      for (const [url, column] of planted) {
        score.columns++;
        const keys = [shape, `scope:${column.scope}`, ...portal.traits.map((trait) => `trait:${trait}`)];
        for (const key of keys) tally(score.byShape, key, 'columns');
        const match = discovered.get(url);
        if (!match) {
          score.missed.push({ sourceId: portal.sourceId, url, shape: [shape, column.scope, ...portal.traits].join('/') });
          continue;
        }
        score.found++;
        for (const key of keys) tally(score.byShape, key, 'found');
        if (match.scope !== column.scope) score.scopeWrong++;
      }
    }
    for (const url of discovered.keys()) {
      if (planted.has(url)) continue;
      score.wrong++;
      for (const key of [shape, ...portal.traits.map((trait) => `trait:${trait}`)]) tally(score.byShape, key, 'wrong');
      score.wrongColumns.push({ sourceId: portal.sourceId, url, shape, decoy: decoys.has(url) });
    }
  }
  return score;
}

/** found / columns (1 when nothing was findable). */
export function foundRatio(score: DiscoveryScore): number {
  return score.columns === 0 ? 1 : score.found / score.columns;
}

/** A few lines for a human: per shape counts, then examples of misses, wrong columns and status mismatches. */
export function describeScore(score: DiscoveryScore, examples = 5): string[] {
  const lines = [...score.byShape.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([shape, { columns, found, wrong }]) =>
        `  ${shape}: columns=${columns} found=${found} wrong=${wrong}${columns ? ` ratio=${(found / columns).toFixed(3)}` : ''}`,
    );
  lines.push(`  scope_wrong=${score.scopeWrong} undiscovered=${score.undiscovered}`);
  for (const miss of score.missed.slice(0, examples)) lines.push(`  missed ${miss.sourceId} ${miss.shape} ${miss.url}`);
  for (const wrong of score.wrongColumns.slice(0, examples))
    lines.push(`  wrong ${wrong.sourceId} ${wrong.shape}${wrong.decoy ? ' (decoy)' : ''} ${wrong.url}`);
  for (const status of score.statusMismatches.slice(0, examples))
    lines.push(`  status ${status.sourceId} planted=${status.planted} discovered=${status.discovered} ${status.reason ?? ''}`);
  return lines;
}
