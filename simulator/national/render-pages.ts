/**
 * The HTML of the national simulator's pages, written from PORTALS.md's skeletons: home and hub pages, 年报 list
 * pages with each platform's pager, Hanweb's inline <datastore> and dataproxy XML, small report pages, and the
 * anti-bot challenge pages. Pure functions of plain data; kept small, since a bench requests tens of thousands.
 */
import { escapeHtml, truncateTitle } from '../http-util.ts';
import type { ColumnAddress, DatedDocument } from './column-address.ts';

/** A link as a page shows it. */
export interface Link {
  text: string;
  href: string;
  /** The title attribute, when it says more than the text. */
  title?: string;
}

/** A row of a list page. */
export interface ListedItem {
  title: string;
  href: string;
  publishedAt: string;
}

/** A list column ready to render: its items newest first, and on the government column its sub-columns. */
export interface RenderedColumn {
  siteName: string;
  name: string;
  address: ColumnAddress;
  items: ListedItem[];
  perPage: number;
  /** Headed groups of sub-column links (部门 / 乡镇), shown on the first page. */
  subColumns: { heading: string; links: Link[] }[];
  /** Anchor texts cut with …, the full title in the title attribute. */
  truncatedAnchors: boolean;
}

/** A report detail page's data. */
export interface ReportDocument extends DatedDocument {
  title: string;
  issuer: string;
  href: string;
}

/** A list row: the full title in the title attribute, the anchor text possibly cut. */
function listRow(item: ListedItem, truncated: boolean): string {
  const title = escapeHtml(item.title);
  return `<li><a href="${escapeHtml(item.href)}" title="${title}" target="_blank">${truncated ? escapeHtml(truncateTitle(item.title, 18)) : title}</a><span>${item.publishedAt}</span></li>`;
}

const anchor = (link: Link) =>
  `<a href="${escapeHtml(link.href)}"${link.title ? ` title="${escapeHtml(link.title)}"` : ''}>${escapeHtml(link.text)}</a>`;

/** A whole page: metas, a header naming the site, a breadcrumb and the main block. */
export function pageShell(siteName: string, title: string, crumbs: Link[], main: string, metas = ''): string {
  const crumbHtml = crumbs.length === 0 ? '' : `<div class="crumb">当前位置：${crumbs.map(anchor).join(' &gt; ')}</div>`;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="${escapeHtml(siteName)}">${metas}
<title>${escapeHtml(title)}_${escapeHtml(siteName)}</title></head>
<body><div class="header"><div class="logo">${escapeHtml(siteName)}</div></div>${crumbHtml}
<div class="main">${main}</div><div class="footer">主办：${escapeHtml(siteName)}办公室</div></body></html>`;
}

/** A block of links under a heading (navigation bars, hub pages, quick links). */
export function linkBlock(heading: string, links: Link[], className = 'links'): string {
  return `<div class="${className}"><h3>${escapeHtml(heading)}</h3><ul>${links.map((link) => `<li>${anchor(link)}</li>`).join('')}</ul></div>`;
}

/** Navigation written by script from a JSON array: no anchor exists in the HTML a plain client reads. */
export function scriptNavigation(links: Link[]): string {
  const data = JSON.stringify(links.map((link) => ({ name: link.text, url: link.href })));
  return `<div class="nav" id="nav"></div><script>var navData = ${data};
var html = '';for (var i = 0; i < navData.length; i++) { html += '<a href="' + navData[i].url + '">' + navData[i].name + '</a>'; }
document.getElementById('nav').innerHTML = html;</script>`;
}

function suffixOf(path: string): string {
  return /\.(s?html?)$/.exec(path)?.[1] ?? 'html';
}

/** The pager below list page `page` (0-based) of `pageCount`, in the platform's style. */
function pagerHtml(address: ColumnAddress, page: number, pageCount: number, total: number): string {
  const suffix = suffixOf(address.pagePath(1, Math.max(2, pageCount)));
  switch (address.pager) {
    case 'trs-old':
      return `<div class="page"><script type="text/javascript">var countPage = ${pageCount}; var currentPage = ${page};
createPageHTML(countPage, currentPage, "index", "${suffix}");</script></div>`;
    case 'trs-new':
      return `<div id="page_div"></div><script>createPageHTML('page_div', ${pageCount}, ${page + 1}, 'index', '${suffix}', ${total});</script>`;
    case 'vsb': {
      const next =
        page + 1 < pageCount
          ? `<span class="p_next p_fun"><a href="${address.pagePath(page + 1, pageCount)}">下页</a></span>`
          : '<span class="p_next_d p_fun_d">下页</span>';
      const last =
        pageCount > 1 ? `<span class="p_last p_fun"><a href="${address.pagePath(pageCount - 1, pageCount)}">尾页</a></span>` : '';
      return `<div class="pb_sys_common"><span class="p_t">共${total}条</span><span class="p_pages"><span class="p_first_d p_fun_d">首页</span>${next}${last}</span><span class="p_t">${page + 1}/${pageCount}</span></div>`;
    }
    default: {
      const previous = page > 0 ? `<a href="${escapeHtml(address.pagePath(page - 1, pageCount))}">上一页</a>` : '';
      const next = page + 1 < pageCount ? `<a href="${escapeHtml(address.pagePath(page + 1, pageCount))}">下一页</a>` : '';
      return `<div class="page">${previous}<span>第${page + 1}页/共${pageCount}页</span>${next}</div>`;
    }
  }
}

/** Number of list pages of a column. */
export function pageCountOf(column: RenderedColumn): number {
  return Math.max(1, Math.ceil(column.items.length / column.perPage));
}

function subColumnBlocks(column: RenderedColumn): string {
  return column.subColumns
    .filter((group) => group.links.length > 0)
    .map((group) => linkBlock(group.heading, group.links, 'sub-columns'))
    .join('');
}

/** List page `page` of a column (any platform but Hanweb's dataproxy answers). */
export function renderListPage(column: RenderedColumn, page: number): string {
  const pageCount = pageCountOf(column);
  const items = column.items.slice(page * column.perPage, (page + 1) * column.perPage);
  const rows = items.map((item) => listRow(item, column.truncatedAnchors)).join('');
  const metas = `<meta name="ColumnName" content="${escapeHtml(column.name)}">`;
  const main = `${page === 0 ? subColumnBlocks(column) : ''}<h2>${escapeHtml(column.name)}</h2><div class="list-box"><ul class="list">${rows}</ul>${pagerHtml(column.address, page, pageCount, column.items.length)}</div>`;
  return pageShell(
    column.siteName,
    column.name,
    [
      { text: '首页', href: '/' },
      { text: column.name, href: column.address.path },
    ],
    main,
    metas,
  );
}

const HANWEB_PER_GROUP = 3;
const unitIdOf = (column: RenderedColumn) => column.address.columnId * 7 + 3;

function records(column: RenderedColumn, items: ListedItem[]): string {
  return items
    .map((item) => `<record><![CDATA[<li class="clearfix">${listRow(item, column.truncatedAnchors).slice(4)}]]></record>`)
    .join('\n');
}

/** A Hanweb column page: the first page of records inline in a <datastore>, the jpage form for the rest. */
export function renderHanwebColumnPage(column: RenderedColumn): string {
  const { columnId } = column.address;
  const unitId = unitIdOf(column);
  const nextGroup = `/module/web/jpage/dataproxy.jsp?page=1&amp;appid=1&amp;webid=1&amp;path=/&amp;columnid=${columnId}&amp;unitid=${unitId}&amp;webname=${encodeURIComponent(column.siteName)}&amp;permissiontype=0`;
  const main = `${subColumnBlocks(column)}<h2>${escapeHtml(column.name)}</h2><div class="lm-list"><div id="${columnId}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="${nextGroup}"></a>]]></nextgroup>
<recordset>${records(column, column.items.slice(0, column.perPage))}</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>jpageform_${unitId} = {col:1, appid:1, webid:1, path:'/', columnid:${columnId}, unitid:${unitId}, perpage:${column.perPage}, groupsize:${HANWEB_PER_GROUP}};</script></div></div>`;
  return pageShell(
    column.siteName,
    column.name,
    [
      { text: '首页', href: '/' },
      { text: column.name, href: column.address.path },
    ],
    main,
  );
}

/** A dataproxy.jsp answer: records `start`..`end` (1-based, inclusive) and the total. */
export function renderDataproxy(column: RenderedColumn, start: number, end: number): string {
  const total = column.items.length;
  return `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>${total}</totalrecord><totalpage>${pageCountOf(column)}</totalpage>
<recordset>${records(column, column.items.slice(Math.max(0, start - 1), Math.max(0, end)))}</recordset></datastore>`;
}

/** A small report page: metas, title, the statistics period sentence and a two-row table. */
export function renderReportPage(siteName: string, report: ReportDocument, column: Link): string {
  const title = escapeHtml(report.title);
  const received = report.id % 97;
  const metas = `<meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="${report.publishedAt} 09:30"><meta name="ContentSource" content="${escapeHtml(report.issuer)}">`;
  const main = `<h1>${title}</h1><div class="info">发布时间：${report.publishedAt} 来源：${escapeHtml(report.issuer)}</div>
<div id="zoom"><p>本报告由${escapeHtml(report.issuer)}编制，所列数据的统计期限自${report.year}年1月1日起至${report.year}年12月31日止。</p>
<table border="1"><tr><td>本年新收政府信息公开申请数量</td><td>${received}</td></tr><tr><td>予以公开</td><td>${Math.floor(received / 2)}</td></tr></table>
<p>如对本报告有疑问，请与${escapeHtml(report.issuer)}联系。</p></div>`;
  return pageShell(siteName, report.title, [{ text: '首页', href: '/' }, column, { text: '正文', href: report.href }], main, metas);
}

/** A news article (the look-alikes: notices, work plans). */
export function renderArticlePage(siteName: string, title: string, publishedAt: string, column: Link): string {
  const main = `<h1>${escapeHtml(title)}</h1><div class="info">发布时间：${publishedAt}</div><div id="zoom"><p>各乡镇、各部门：现将有关事项通知如下，请认真贯彻落实。</p></div>`;
  return pageShell(
    siteName,
    title,
    [{ text: '首页', href: '/' }, column],
    main,
    `<meta name="ArticleTitle" content="${escapeHtml(title)}">`,
  );
}

/** The cookie each challenge's script sets; a request carrying it passes (as a real browser's reload would). */
export const CHALLENGE_COOKIES: Record<412 | 521, { name: string; value: string }> = {
  412: { name: 'FSSBBIl1UgzbN7N80T', value: '3a5c7e9b1d' },
  521: { name: '__jsl_clearance', value: '1701475200.123|0|sim' },
};

/** 瑞数's 412 page (a `$_ts` script) or 加速乐's 521 page (a `__jsl_clearance` cookie script), both reloading. */
export function renderChallengePage(status: 412 | 521): string {
  const { name, value } = CHALLENGE_COOKIES[status];
  const setCookie = `document.cookie="${name}=${value}; path=/";location.reload();`;
  const script =
    status === 412
      ? `$_ts=window['$_ts'];if(!$_ts)$_ts=window['$_ts']={};$_ts.nsd=84213;$_ts.cd="qGnrcGAlqL";${setCookie}`
      : `var x=(17+25)*1000+7;${setCookie}`;
  return `<html><head><meta charset="utf-8"><script>${script}</script></head><body></body></html>`;
}
