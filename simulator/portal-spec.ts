/** What every demo portal style builds: routes, where its planted items live, and detail bodies. */
import { existsSync, readFileSync } from 'node:fs';
import type { Level } from '../shared/types.ts';
import { html, notFound, type Handler, type Reply } from './http-util.ts';
import { pdfFileOf, publishesPdf, type ColumnItem } from './planted-data.ts';
import { renderDecoyBody, renderReportBody } from './report-html.ts';
import { isScanPublication, scannedReportBody, scanPdfFile } from './scan-publications.ts';

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
   * paths of the detail page's further parts when the article runs over several pages, and of the scanned page
   * images it shows or links.
   */
  locations: Map<string, { detailPath: string; pdfPath: string | null; partPaths?: string[]; scanPaths?: string[] }>;
  handler: Handler;
}

/** A deterministic number from a text, for document ids and attachment names. */
export function digitsOf(text: string, length: number): string {
  let hash = 7n;
  for (const char of text) hash = (hash * 131n + BigInt(char.codePointAt(0)!)) % 10n ** BigInt(length);
  return hash.toString().padStart(length, '0');
}

/**
 * The body of a detail page: the report tables in the page, or a pointer to the attachment, or a decoy's prose;
 * for a report published as scans, `scanPages` are its page images' URLs relative to the page.
 */
export function detailBody(item: ColumnItem, scanPages: string[] = []): string {
  if (item.type === 'decoy') return renderDecoyBody(item);
  if (isScanPublication(item.published)) return scannedReportBody(item, scanPages, (images) => renderReportBody(item, images));
  if (item.published === 'pdf') return `<p>${item.title}全文详见附件。</p>`;
  return renderReportBody(item);
}

/** Whether the item has a PDF attachment (a scanned report's is an image-only PDF). */
export function hasPdf(item: ColumnItem): boolean {
  return item.type === 'report' && (publishesPdf(item) || item.published === 'scan-pdf');
}

/** Serves a committed PDF (simulator/pdfs, or simulator/scans for a scan), or 404 while it has not been made. */
export function pdfReply(reportId: string): Reply {
  const file = [pdfFileOf(reportId), scanPdfFile(reportId)].find((candidate) => existsSync(candidate));
  if (!file) return notFound();
  return { status: 200, contentType: 'application/pdf', body: readFileSync(file) };
}

/** Routes exact paths to replies; anything else is a 404. */
export function routeTable(routes: Map<string, () => Reply>): Handler {
  return (_request, url) => (routes.get(url.pathname) ?? notFound)();
}

export { html };
