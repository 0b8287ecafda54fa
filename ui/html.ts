/**
 * The UI's HTML pieces: one escaping function that every shown value goes through (titles, URLs, reasons and
 * source names come from portals and documents: never trusted), the page frame, tables, links and times.
 */
import { formatInZone } from '../cli/time.ts';

/** Text safe inside HTML content and quoted attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** HTML already escaped or built from escaped parts; plain strings given to table() are escaped, these are not. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

/** A cell: plain values are escaped, Html is kept. */
export type Cell = Html | string | number | boolean | null | undefined;

export const cellHtml = (cell: Cell): string => (cell instanceof Html ? cell.html : escapeHtml(cell));

/** What every page shows besides its body. */
export interface PageFrame {
  title: string;
  /** Reload the page every this many seconds (a meta refresh: no script, so it works under any CSP). */
  refreshSecs?: number;
  /** The configured time zone, named in the footer. */
  timezone: string;
}

export function layout(frame: PageFrame, body: string): string {
  const refresh = frame.refreshSecs ? `<meta http-equiv="refresh" content="${frame.refreshSecs}">` : '';
  const refreshNote = frame.refreshSecs ? ` · this page refreshes every ${frame.refreshSecs} s` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="icon" href="data:,">${refresh}<title>${escapeHtml(frame.title)} · yangguang</title>
<style>body{font:14px system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f4f4f4}td.n{text-align:right}
nav a{margin-right:1rem}.flag,.bad{color:#b00;font-weight:bold}.ok{color:#070;font-weight:bold}.warn{color:#a60;font-weight:bold}
.muted{color:#777}time{white-space:nowrap}ul.counts{margin:0;padding-left:1.1rem}footer{margin-top:2rem;color:#777;font-size:12px}</style></head>
<body><nav><a href="/runs">Runs</a><a href="/failures">Failed documents</a><a href="/portals">Portals</a><a href="/health">Health</a><a href="/queues">Queues</a></nav>
<h1>${escapeHtml(frame.title)}</h1>${body}
<footer>Times in ${escapeHtml(frame.timezone)}${refreshNote}.</footer></body></html>`;
}

/** A table of cells; `numeric` columns are right-aligned. */
export function table(columns: string[], rows: Cell[][], options: { numeric?: string[] } = {}): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  const numeric = new Set(options.numeric ?? []);
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell, i) => `<td${numeric.has(columns[i]!) ? ' class="n"' : ''}>${cellHtml(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** One record as label–value rows (a wide row of a dozen columns reads badly). */
export function fields(pairs: Array<[string, Cell]>): string {
  return `<table class="fields"><tbody>${pairs.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${cellHtml(value)}</td></tr>`).join('')}</tbody></table>`;
}

/** A link inside the UI; `path` is built by the UI (its variable parts passed through encodeURIComponent). */
export function link(path: string, text: Cell): Html {
  return new Html(`<a href="${escapeHtml(path)}">${cellHtml(text)}</a>`);
}

/** A portal's URL as a link when it is http(s), else as text (a `javascript:` URL must never become a link). */
export function externalLink(url: string | null | undefined, text: Cell = url): Html {
  if (!url) return new Html('');
  if (!/^https?:\/\//i.test(url)) return new Html(escapeHtml(url));
  return new Html(`<a href="${escapeHtml(url)}" rel="noreferrer noopener" target="_blank">${cellHtml(text)}</a>`);
}

/** A UI path with query parameters; absent ones are left out. */
export function pathWith(path: string, params: Record<string, string | null | undefined>): string {
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** An instant (ISO 8601) in the configured zone, `2026-12-06 10:00:00`; empty for none. */
export function timeIn(iso: string | null | undefined, zone: string): string {
  return iso ? formatInZone(iso, zone) : '';
}

/** A table cell of an instant in the configured zone: `<time datetime="…">2026-12-06 10:00:00</time>`, kept on one line. */
export function timeCell(iso: string | null | undefined, zone: string): Html {
  return iso ? new Html(`<time datetime="${escapeHtml(iso)}">${escapeHtml(formatInZone(iso, zone))}</time>`) : new Html('');
}

/** `1 h 02 min`, `3 min 05 s`, `12 s`: how long from `startIso` to `endIso` (or to `now`). */
export function duration(startIso: string | null, endIso: string | null, now: Date = new Date()): string {
  if (!startIso) return '';
  const seconds = Math.max(0, Math.round(((endIso ? Date.parse(endIso) : now.getTime()) - Date.parse(startIso)) / 1000));
  if (!Number.isFinite(seconds)) return '';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
  return `${s} s`;
}
