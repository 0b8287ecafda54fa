/** What every simulated site module builds, and the report pages they share (bodies from report-html.ts). */
import type { CrawlerKind } from '../../crawlers/types.ts';
import { escapeHtml, type Handler, type Reply } from '../http-util.ts';
import { loadPlantedData, publishesPdf, type PlantedReportData } from '../planted-data.ts';
import { renderReportBody } from '../report-html.ts';
import { pdfReply } from '../portal-spec.ts';

/** A report planted in a site, with the path of every document a crawler must find for it. */
export interface SiteReport {
  id: string;
  title: string;
  /** Paths (with query) of the detail page(s) and attachments: exactly what the crawler should discover. */
  documentPaths: string[];
}

/** A site before it listens: its routes and the manifest of its planted reports. */
export interface SiteBuild {
  id: string;
  name: string;
  startPaths: string[];
  handler: Handler;
  planted: SiteReport[];
  /** The crawler the source needs (default cheerio). */
  crawler?: CrawlerKind;
}

/** A planted report re-titled for a site: the content (figures, prose) of a report of reports.json. */
export interface SiteItem {
  id: string;
  title: string;
  publishedAt: string;
  report: PlantedReportData;
}

/** `count` reports of reports.json (from `offset`), titled as `issuer`'s reports of their years. */
export function siteItems(siteId: string, issuer: string, count: number, offset = 0): SiteItem[] {
  const { reports } = loadPlantedData();
  return Array.from({ length: count }, (_, index) => {
    const report = reports[(offset + index) % reports.length]!;
    const year = 2023 - index;
    return {
      id: `${siteId}-${year}`,
      title: `${issuer}${year}年政府信息公开工作年度报告`,
      publishedAt: `${year + 1}-01-${String(10 + index).padStart(2, '0')}`,
      report,
    };
  });
}

/** A report detail page: metas, heading, the statutory tables, and extra HTML (attachments, pager). */
export function reportPage(item: SiteItem, extra = '', charset = 'utf-8'): string {
  const title = escapeHtml(item.title);
  return `<!DOCTYPE html><html><head><meta charset="${charset}">
<meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="${item.publishedAt} 09:30"><title>${title}</title></head>
<body><h1>${title}</h1><div id="zoom">${renderReportBody(item.report)}</div>
${extra}</body></html>`;
}

/** A list row with the full title in the title attribute. */
export function listRow(href: string, title: string, date: string): string {
  return `<li><a href="${href}" title="${escapeHtml(title)}" target="_blank">${escapeHtml(title)}</a><span>${date}</span></li>`;
}

/** A plain HTML page around `body`. */
export function page(title: string, body: string, charset = 'utf-8'): string {
  return `<!DOCTYPE html><html><head><meta charset="${charset}"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

/** The committed PDF of a reports.json report (simulator/pdfs/<id>.pdf), or any committed PDF for one without. */
export function sitePdf(item: SiteItem): Reply {
  const reply = pdfReply(item.report.id);
  return reply.status === 200 ? reply : pdfReply(loadPlantedData().reports.find(publishesPdf)!.id);
}

/** Routes exact paths (with query when `withQuery`) to replies; anything else is a 404. */
export function routes(table: Map<string, () => Reply | Promise<Reply>>, withQuery = false): Handler {
  return (_request, url) => {
    const key = withQuery ? url.pathname + url.search : url.pathname;
    const route = table.get(key);
    return route ? route() : { status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>404 页面不存在</h1>' };
  };
}
