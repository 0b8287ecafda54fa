/** What every demo portal style builds: routes, where its planted items live, and detail bodies. */
import { existsSync, readFileSync } from 'node:fs';
import type { Level } from '../shared/types.ts';
import { html, notFound, type Handler, type Reply } from './http-util.ts';
import { pdfFileOf, publishesPdf, type ColumnItem } from './planted-data.ts';
import { renderDecoyBody, renderReportBody } from './report-html.ts';

/** A portal before it listens: paths only, no origin yet. */
export interface PortalBuild {
  id: string;
  name: string;
  regionCode?: string;
  level?: Level;
  /** Paths of the 年报 column (and department sub-column) list pages. */
  startPaths: string[];
  /**
   * Per planted report id: the detail page path, the PDF attachment path (null when not published so), and the
   * paths of the detail page's further parts when the article runs over several pages.
   */
  locations: Map<string, { detailPath: string; pdfPath: string | null; partPaths?: string[] }>;
  handler: Handler;
}

/** A deterministic number from a text, for document ids and attachment names. */
export function digitsOf(text: string, length: number): string {
  let hash = 7n;
  for (const char of text) hash = (hash * 131n + BigInt(char.codePointAt(0)!)) % 10n ** BigInt(length);
  return hash.toString().padStart(length, '0');
}

/** The body of a detail page: the report tables in the page, or a pointer to the attachment, or a decoy's prose. */
export function detailBody(item: ColumnItem): string {
  if (item.type === 'decoy') return renderDecoyBody(item);
  if (item.published === 'pdf') return `<p>${item.title}全文详见附件。</p>`;
  return renderReportBody(item);
}

/** Whether the item has a PDF attachment. */
export function hasPdf(item: ColumnItem): boolean {
  return item.type === 'report' && publishesPdf(item);
}

/** Serves a committed PDF, or 404 while simulator/make-pdfs.ts has not produced it. */
export function pdfReply(reportId: string): Reply {
  const file = pdfFileOf(reportId);
  if (!existsSync(file)) return notFound();
  return { status: 200, contentType: 'application/pdf', body: readFileSync(file) };
}

/** Routes exact paths to replies; anything else is a 404. */
export function routeTable(routes: Map<string, () => Reply>): Handler {
  return (_request, url) => (routes.get(url.pathname) ?? notFound)();
}

export { html };
