/** A Hanweb (大汉 JCMS) style portal: col/art URLs, first records inline as XML, later ones from dataproxy.jsp. */
import { createHash } from 'node:crypto';
import type { Level } from '../shared/types.ts';
import { escapeHtml, html, notFound, type Handler, type Reply } from './http-util.ts';
import { editedColumnItems, type ColumnEdit, type ColumnItem } from './planted-data.ts';
import { detailBody, digitsOf, hasPdf, pdfReply, type PortalBuild } from './portal-spec.ts';

export interface HanwebOptions {
  id: string;
  siteName: string;
  regionCode: string;
  level: Level;
  columnId: number;
  unitId: number;
  /** Records per page, inline and per dataproxy page (default 2). */
  perPage?: number;
  /** Publishes edited items instead of the planted ones (see startDemoPortals' republish). */
  edit?: ColumnEdit;
}

interface Located {
  item: ColumnItem;
  detailPath: string;
  /** 32 hex digits, the attachment's stored name. */
  fileName: string | null;
}

/** Builds a Hanweb style portal over the planted items of its main column. */
export function buildHanwebPortal(options: HanwebOptions): PortalBuild {
  const perPage = options.perPage ?? 2;
  const located = editedColumnItems(options.id, 'main', options.edit).map((item) => locate(options.columnId, item));
  const columnPath = `/col/col${options.columnId}/index.html`;
  const details = new Map(located.map((entry) => [entry.detailPath, entry]));
  const attachments = new Map(located.filter((entry) => entry.fileName).map((entry) => [entry.fileName!, entry]));
  const locations: PortalBuild['locations'] = new Map();
  for (const { item, detailPath, fileName } of located) {
    if (item.type === 'report') locations.set(item.id, { detailPath, pdfPath: fileName ? downloadPath(fileName) : null });
  }
  const handler: Handler = (request, url, body) => {
    const path = url.pathname;
    if (path === columnPath) return html(columnPage(options, located.slice(0, perPage), perPage));
    if (path === '/module/web/jpage/dataproxy.jsp' && request.method === 'POST') {
      return dataproxy(located, new URLSearchParams([...url.searchParams, ...new URLSearchParams(body)]), perPage);
    }
    if (path === '/module/download/downfile.jsp') {
      const name = (url.searchParams.get('filename') ?? '').replace(/\.pdf$/, '');
      return attachments.has(name) ? { status: 302, location: `/attach/0/${name}.pdf` } : notFound();
    }
    const attached = /^\/attach\/0\/([0-9a-f]{32})\.pdf$/.exec(path);
    if (attached && attachments.has(attached[1]!)) return pdfReply(attachments.get(attached[1]!)!.item.id);
    const detail = details.get(path);
    return detail ? html(detailPage(options, detail)) : notFound();
  };
  return {
    id: options.id,
    name: options.siteName,
    regionCode: options.regionCode,
    level: options.level,
    startPaths: [columnPath],
    locations,
    handler,
  };
}

function locate(columnId: number, item: ColumnItem): Located {
  const [year, month, day] = item.publishedAt.split('-').map(Number);
  const detailPath = `/art/${year}/${month}/${day}/art_${columnId}_${3100000 + Number(digitsOf(item.id, 5))}.html`;
  const fileName = hasPdf(item) ? createHash('md5').update(item.id).digest('hex') : null;
  return { item, detailPath, fileName };
}

function downloadPath(fileName: string): string {
  return `/module/download/downfile.jsp?classid=0&filename=${fileName}.pdf`;
}

function record({ item, detailPath }: Located): string {
  const title = escapeHtml(item.title);
  return `<record><![CDATA[<li class="clearfix"><a href="${detailPath}" title="${title}" target="_blank">${title}</a><span>${item.publishedAt}</span></li>]]></record>`;
}

/** Records startrecord..endrecord (1-based, inclusive), as the real dataproxy.jsp answers. */
function dataproxy(located: Located[], params: URLSearchParams, perPage: number): Reply {
  const start = Math.max(1, Number(params.get('startrecord') ?? 1));
  const end = Math.min(located.length, Number(params.get('endrecord') ?? start + perPage - 1));
  const records = located
    .slice(start - 1, end)
    .map(record)
    .join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>${located.length}</totalrecord><totalpage>${Math.ceil(located.length / perPage)}</totalpage>
<recordset>
${records}
</recordset></datastore>`;
  return { status: 200, contentType: 'text/xml; charset=utf-8', body };
}

function columnPage(options: HanwebOptions, first: Located[], perPage: number): string {
  const { columnId, unitId } = options;
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报 ${options.siteName}</title></head>
<body><div class="lm-list"><div id="${unitId}">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=${columnId}&unitid=${unitId}&permissiontype=0"></a>]]></nextgroup>
<recordset>
${first.map(record).join('\n')}
</recordset></datastore></script>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>jpageform_${unitId} = {col:1, appid:1, webid:1, columnid:${columnId}, unitid:${unitId}, perpage:${perPage}, groupsize:3};</script>
</div></div></body></html>`;
}

function detailPage(options: HanwebOptions, { item, detailPath, fileName }: Located): string {
  const title = escapeHtml(item.title);
  const attachment = fileName ? `<p>附件：<a href="${downloadPath(fileName)}">${title}.pdf</a></p>` : '';
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="i_columnid" content="${options.columnId}"><meta name="i_articleid" content="${detailPath.replace(/.*_(\d+)\.html$/, '$1')}">
<meta name="ArticleTitle" content="${title}"><meta name="PubDate" content="${item.publishedAt} 16:20">
<meta name="ContentSource" content="${escapeHtml(item.issuer)}"><title>${title}</title></head>
<body><div class="art-title">${title}</div>
<div class="art-info">发布日期：${item.publishedAt} 信息来源：${escapeHtml(item.issuer)}</div>
<div id="zoom">
<!--ZJEG_RSS.content.begin--><meta name="ContentStart">
${detailBody(item)}
${attachment}
<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->
</div></body></html>`;
}
