/**
 * The Portals page: the national catalog's portals as discovery last saw them — portals per status, the ones not ok
 * with their reasons, and every portal's 年报 columns. Everything shown is escaped: portal data is untrusted.
 * (Runs: runs-page.ts; failures, documents, sources: record-pages.ts; health: health-page.ts.)
 */
import type { Config } from '../config/config.ts';
import { readCatalog } from '../crawlers/catalog.ts';
import { readPortalHealth } from '../load/portal-health.ts';
import { externalLink, layout, link, table, timeCell } from './html.ts';

/** Column rows drawn on the Portals page; past this the page would weigh megabytes. */
const COLUMNS_SHOWN = 3000;

/** Portal health: portals per status, the ones not ok with their reasons, and every portal's discovered 年报 columns. */
export async function renderPortalsPage(config: Pick<Config, 'duckdbPath' | 'timezone' | 'catalogFile'>): Promise<string> {
  const zone = config.timezone;
  const frame = { title: 'Portals', timezone: zone };
  const health = await readPortalHealth(config.duckdbPath, { withColumns: true }); // waits for a gap between loads itself
  if (!health) return layout(frame, '<p>No discovery recorded yet: run <code>yangguang sources discover</code>.</p>');
  const names = catalogPaths(config.catalogFile);
  const source = (id: string) => link(`/sources/${encodeURIComponent(id)}`, id);
  const counts = table(
    ['status', 'portals', 'last checked'],
    health.counts.map((count) => [count.status, count.portals, timeCell(count.lastCheckedAt, zone)]),
    { numeric: ['portals'] },
  );
  const problems = table(
    ['source', 'name', 'status', 'reason', 'moved to', 'checked', 'portal'],
    health.problems.map((p) => [
      source(p.sourceId),
      names.get(p.sourceId) ?? '',
      p.status,
      p.reason,
      externalLink(p.movedTo),
      timeCell(p.checkedAt, zone),
      externalLink(p.portalUrl),
    ]),
  );
  const shown = health.columns.slice(0, COLUMNS_SHOWN);
  const columns = table(
    ['source', 'name', 'column', 'scope', 'body', 'platform', 'method', 'evidence', 'first found', 'checked'],
    shown.map((c) => [
      source(c.sourceId),
      names.get(c.sourceId) ?? '',
      externalLink(c.url),
      c.scope,
      c.body,
      c.platform,
      c.method,
      c.evidence,
      timeCell(c.firstFoundAt, zone),
      timeCell(c.checkedAt, zone),
    ]),
  );
  const cut =
    health.columns.length > shown.length
      ? `<p>The first ${shown.length} of ${health.columns.length} columns; all of them: <code>yangguang sql "select * from portal_columns"</code>.</p>`
      : '';
  return layout(
    frame,
    `<h2>By status (latest discovery)</h2>${counts}<h2>Not ok</h2>${problems}<h2>Discovered 年报 columns</h2>${cut}${columns}`,
  );
}

/** Each catalog entry's place (江苏省/淮安市/淮阴区), by id. */
function catalogPaths(file: string | undefined): Map<string, string> {
  return new Map(readCatalog(file).map((entry) => [entry.id, entry.path]));
}
