/** A TRS WCM style static portal: t-dated detail pages, index_N list pages with a createPageHTML pager. */
import type { Level } from '../shared/types.ts';
import { escapeHtml, html, pages, truncateTitle, type Reply } from './http-util.ts';
import { editedColumnItems, type ColumnEdit, type ColumnItem, type PlantedReportData } from './planted-data.ts';
import { renderReportBodyParts } from './report-html.ts';
import { detailBody, digitsOf, hasPdf, pdfReply, routeTable, type PortalBuild } from './portal-spec.ts';
import { DECORATION_FILES, scanFileReply, scannedPageHeader, scanPageFiles } from './scan-publications.ts';

export interface TrsColumn {
  column: 'main' | 'department';
  /** Folder of the column, with trailing slash, e.g. /zwgk/zfxxgknb/. */
  path: string;
  name: string;
}

export interface TrsOptions {
  id: string;
  siteName: string;
  regionCode?: string;
  level?: Level;
  columns: TrsColumn[];
  /** 0: page 2 is index_1.html with the old pager; 1: page 2 is index_2.html with the new pager. */
  firstIndex: 0 | 1;
  /** Items per list page (default 2). */
  perPage?: number;
  /** Publishes edited items instead of the planted ones (see startDemoPortals' republish). */
  edit?: ColumnEdit;
  /** Publishes the reports published as scans too (scan-publications.ts). */
  scans?: boolean;
}

/** Builds the routes of a TRS style portal over the planted items of its columns. */
export function buildTrsPortal(options: TrsOptions): PortalBuild {
  const routes = new Map<string, () => Reply>();
  const locations: PortalBuild['locations'] = new Map();
  for (const column of options.columns) {
    const items = editedColumnItems(options.id, column.column, options.edit, { scans: options.scans }).map((item) => ({
      item,
      ...trsPaths(column.path, item),
    }));
    const listPages = pages(items, options.perPage ?? 2);
    listPages.forEach((pageItems, index) => {
      const file = listFileName(index, options.firstIndex);
      const page = listPage(options, column, pageItems, { index, count: listPages.length, total: items.length });
      routes.set(column.path + file, () => html(page));
      if (index === 0) routes.set(column.path, () => html(page));
    });
    for (const { item, detailPath, pdfPath } of items) {
      const partPaths =
        item.type === 'report' && item.published === 'html-parts' ? setArticleParts(routes, options, column, item, detailPath) : [];
      const folder = detailPath.slice(0, detailPath.lastIndexOf('/') + 1);
      const scanFiles = item.type === 'report' ? serveScanPages(routes, item.id, folder) : [];
      const body = detailBody(
        item,
        scanFiles.map((name) => `./${name}`),
      );
      if (partPaths.length === 0) routes.set(detailPath, () => html(detailPage(options, column, item, pdfPath, body)));
      if (pdfPath) routes.set(pdfPath, () => pdfReply(item.id));
      const scanPaths = scanFiles.map((name) => folder + name);
      if (item.type === 'report') locations.set(item.id, { detailPath, pdfPath, partPaths, scanPaths });
    }
  }
  for (const name of Object.values(DECORATION_FILES)) routes.set(`/images/${name}`, () => scanFileReply(name));
  return {
    id: options.id,
    name: options.siteName,
    regionCode: options.regionCode,
    level: options.level,
    startPaths: options.columns.map((column) => `${column.path}index.html`),
    locations,
    handler: routeTable(routes),
  };
}

/** index.html, then index_1.html… (0-based) or index_2.html… (1-based). */
export function listFileName(pageIndex: number, firstIndex: 0 | 1): string {
  return pageIndex === 0 ? 'index.html' : `index_${pageIndex + firstIndex}.html`;
}

function trsPaths(columnPath: string, item: ColumnItem): { detailPath: string; pdfPath: string | null } {
  const day = item.publishedAt.replace(/-/g, '');
  const folder = `${columnPath}${day.slice(0, 6)}/`;
  const detailPath = `${folder}t${day}_${1100000 + Number(digitsOf(item.id, 5))}.html`;
  return { detailPath, pdfPath: hasPdf(item) ? `${folder}P0${day}${digitsOf(item.id, 12)}.pdf` : null };
}

function pager(firstIndex: 0 | 1, count: number, current: number, total: number): string {
  return firstIndex === 0
    ? `<div class="page"><script type="text/javascript">\n var countPage = ${count}; var currentPage = ${current};\n createPageHTML(countPage, currentPage, "index", "html");\n</script></div>`
    : `<div id="page_div"></div>\n<script>createPageHTML('page_div', ${count}, ${current + 1}, 'index', 'html', ${total});</script>`;
}

/** One list page; `total` is the column's item count, which the new-style pager prints. */
function listPage(
  options: TrsOptions,
  column: TrsColumn,
  items: { item: ColumnItem; detailPath: string }[],
  { index, count, total }: { index: number; count: number; total: number },
): string {
  const lines = items.map(({ item, detailPath }) => {
    const href = `./${detailPath.slice(column.path.length)}`;
    return `  <li><a href="${href}" target="_blank" title="${escapeHtml(item.title)}">${escapeHtml(truncateTitle(item.title))}</a><span>${item.publishedAt}</span></li>`;
  });
  const others = options.columns.filter((other) => other !== column);
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="${options.siteName}"><meta name="ColumnName" content="${column.name}">
<title>${column.name}_${options.siteName}</title></head>
<body><div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开 &gt; ${column.name}</div>
${others.map((other) => `<div class="sub-nav"><a href="${other.path}index.html">${other.name}</a></div>`).join('\n')}
<div class="list-box"><ul class="list">
${lines.join('\n')}
</ul>
${pager(options.firstIndex, count, index, total)}
</div></body></html>`;
}

/**
 * A report over two pages: t….html, then t…_1.html, both with the CMS's article pager under the text. Returns the
 * paths of the further parts.
 */
function setArticleParts(
  routes: Map<string, () => Reply>,
  options: TrsOptions,
  column: TrsColumn,
  item: PlantedReportData & { type: 'report' },
  detailPath: string,
): string[] {
  const stem = detailPath.slice(detailPath.lastIndexOf('/') + 1).replace(/\.html$/, '');
  const articlePager = (current: number) =>
    `<div id="autopage"><script>var countPage = 2; createPageHTML(countPage, ${current}, "${stem}", "html");</script></div>`;
  const paths = renderReportBodyParts(item).map((body, index) => {
    const path = index === 0 ? detailPath : detailPath.replace(/\.html$/, `_${index}.html`);
    const page = detailPage(options, column, item, null, body, articlePager(index));
    routes.set(path, () => html(page));
    return path;
  });
  return paths.slice(1);
}

/** Serves a scanned report's page images in its detail page's folder; returns their file names (none for a text report). */
function serveScanPages(routes: Map<string, () => Reply>, reportId: string, folder: string): string[] {
  const names = scanPageFiles(reportId);
  for (const name of names) routes.set(folder + name, () => scanFileReply(name));
  return names;
}

function detailPage(
  options: TrsOptions,
  column: TrsColumn,
  item: ColumnItem,
  pdfPath: string | null,
  body = detailBody(item),
  pager = '',
): string {
  const title = escapeHtml(item.title);
  const attachment = pdfPath
    ? `<div class="fj">附件：<a href="./${pdfPath.slice(pdfPath.lastIndexOf('/') + 1)}">${title}.pdf</a></div>`
    : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="${options.siteName}"><meta name="ColumnName" content="${column.name}">
<meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="${item.publishedAt} 09:30">
<meta name="ContentSource" content="${escapeHtml(item.issuer)}"><title>${title}_${options.siteName}</title></head>
<body>${item.type === 'report' ? scannedPageHeader(item) : ''}<table class="xxgk-head"><tr><td>发布机构：</td><td>${escapeHtml(item.issuer)}</td><td>生成日期：</td><td>${item.publishedAt}</td></tr>
<tr><td>名称：</td><td colspan="3">${title}</td></tr></table>
<h1 class="title">${title}</h1>
<div class="info">发布时间：${item.publishedAt} 来源：${escapeHtml(item.issuer)}</div>
<div id="zoom"><div class="TRS_Editor">
${body}
</div></div>
${pager}
${attachment}
</body></html>`;
}
