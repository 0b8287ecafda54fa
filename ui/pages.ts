/**
 * The UI's own pages: runs with per-source health, failed documents with their reasons and source links, and the
 * national catalog's portals as discovery last saw them. Everything shown is escaped: portal data is untrusted.
 */
import { existsSync } from 'node:fs';
import { readCatalog } from '../crawlers/catalog.ts';
import { runReadOnlySql } from '../load/index.ts';
import { readPortalHealth } from '../load/portal-health.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';

const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)} · yangguang</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}
nav a{margin-right:1rem}.flag{color:#b00;font-weight:bold}</style></head>
<body><nav><a href="/runs">Runs</a><a href="/failures">Failed documents</a><a href="/portals">Portals</a><a href="/queues">Queues</a></nav>
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Renders a query result; columns named *url become links. */
function table(result: { columns: string[]; rows: unknown[][] }): string {
  if (result.rows.length === 0) return '<p>none</p>';
  const head = result.columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const rows = result.rows
    .map((row) => `<tr>${row.map((cell, i) => `<td>${cellHtml(result.columns[i]!, cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function cellHtml(column: string, value: unknown): string {
  if (column.endsWith('url') && typeof value === 'string' && /^https?:\/\//.test(value)) {
    return `<a href="${escapeHtml(value)}" rel="noreferrer">${escapeHtml(value)}</a>`;
  }
  if (column === 'flagged' && value === true) return '<span class="flag">flagged</span>';
  return escapeHtml(value);
}

/** The loader holds the file only for one job at a time: wait for a gap rather than fail the page. */
async function query(duckdbPath: string, sql: string) {
  return retryWhileLocked(() => runReadOnlySql(duckdbPath, sql));
}

export async function renderRunsPage(duckdbPath: string): Promise<string> {
  if (!existsSync(duckdbPath)) return layout('Runs', '<p>No DuckDB file yet: no run has been loaded.</p>');
  const runs = await query(
    duckdbPath,
    `select run_id, status, started_at, finished_at, summary from crawl_runs order by started_at desc limit 50`,
  );
  const health = await query(
    duckdbPath,
    `select h.run_id, h.source_id, h.pages_fetched, h.reports_found, h.new_documents, h.blocked, h.errors, h.flagged, h.note
       from source_health h join (select run_id from crawl_runs order by started_at desc limit 5) r using (run_id)
      order by h.run_id desc, h.source_id`,
  );
  return layout('Runs', `${table(runs)}<h2>Source health (last 5 runs)</h2>${table(health)}`);
}

export async function renderFailuresPage(duckdbPath: string): Promise<string> {
  if (!existsSync(duckdbPath)) return layout('Failed documents', '<p>No DuckDB file yet.</p>');
  const failures = await query(
    duckdbPath,
    `select failed_at, run_id, stage, source_id, code, reason, url, sha256, resolved
       from failures order by failed_at desc limit 500`,
  );
  const hint = '<p>Retry a failed job from <a href="/queues">the queues</a> (its failed tab) once its cause is removed.</p>';
  return layout('Failed documents', hint + table(failures));
}

/** Column rows drawn on the Portals page; past this the page would weigh megabytes. */
const COLUMNS_SHOWN = 3000;

/** Portal health: portals per status, the ones not ok with their reasons, and every portal's discovered 年报 columns. */
export async function renderPortalsPage(duckdbPath: string): Promise<string> {
  const health = await readPortalHealth(duckdbPath, { withColumns: true }); // waits for a gap between loads itself
  if (!health) return layout('Portals', '<p>No discovery recorded yet: run <code>yangguang sources discover</code>.</p>');
  const names = catalogPaths();
  const counts = table({
    columns: ['status', 'portals', 'last checked'],
    rows: health.counts.map((count) => [count.status, count.portals, count.lastCheckedAt]),
  });
  const problems = table({
    columns: ['source', 'name', 'status', 'reason', 'moved_to', 'checked', 'portal_url'],
    rows: health.problems.map((p) => [p.sourceId, names.get(p.sourceId) ?? '', p.status, p.reason, p.movedTo, p.checkedAt, p.portalUrl]),
  });
  const shown = health.columns.slice(0, COLUMNS_SHOWN);
  const columns = table({
    columns: ['source', 'name', 'url', 'scope', 'body', 'platform', 'method', 'evidence', 'first found', 'checked'],
    rows: shown.map((c) => [c.sourceId, names.get(c.sourceId) ?? '', c.url, c.scope, c.body, c.platform, c.method, c.evidence, c.firstFoundAt, c.checkedAt]),
  });
  const cut = health.columns.length > shown.length
    ? `<p>The first ${shown.length} of ${health.columns.length} columns; all of them: <code>yangguang sql "select * from portal_columns"</code>.</p>`
    : '';
  return layout(
    'Portals',
    `<h2>By status (latest discovery)</h2>${counts}<h2>Not ok</h2>${problems}<h2>Discovered 年报 columns</h2>${cut}${columns}`,
  );
}

/** Each catalog entry's place (江苏省/淮安市/淮阴区), by id. */
function catalogPaths(): Map<string, string> {
  return new Map(readCatalog().map((entry) => [entry.id, entry.path]));
}
