/** A 博达 VSB style site: `zfxxgknb.htm` then count-down pages `zfxxgknb/3.htm` … `1.htm`; attachments need a Referer. */
import type { Reply } from '../http-util.ts';
import { html } from '../http-util.ts';
import { listRow, page, reportPage, routes, siteItems, sitePdf, type SiteBuild } from './site-kit.ts';

/** Builds the VSB site: 7 reports, 2 per page (4 pages), every other one with a PDF behind download.jsp. */
export function buildVsbSite(): SiteBuild {
  const items = siteItems('vsb', '示例市财政局', 7);
  const table = new Map<string, () => Reply>();
  const pageCount = Math.ceil(items.length / 2);
  const listPath = (index: number) => (index === 0 ? '/xxgk/zfxxgknb.htm' : `/xxgk/zfxxgknb/${pageCount - index}.htm`);
  const detailPath = (index: number) => `/info/1677/${56001 + index}.htm`;
  const downloadPath = (index: number) =>
    `/system/_content/download.jsp?urltype=news.DownloadAttachUrl&owner=1615111502&wbfileid=${12241422 + index}`;
  for (let index = 0; index < pageCount; index++) {
    const rows = items
      .slice(index * 2, index * 2 + 2)
      .map((item, offset) => listRow(`/info/1677/${56001 + index * 2 + offset}.htm`, item.title, item.publishedAt));
    if (index === 0) rows.push(listRow('/info/1677/50000.htm', '示例市财政局政府信息公开指南', '2020-01-01'));
    const folder = index === 0 ? 'zfxxgknb/' : '';
    const next = index + 1 < pageCount ? `<span class="p_next p_fun"><a href="${folder}${pageCount - index - 1}.htm">下页</a></span>` : '';
    const pager = `<div class="pb_sys_common"><span class="p_pages">${next}<span class="p_last p_fun"><a href="${folder}1.htm">尾页</a></span></span><span class="p_t">${index + 1}/${pageCount}</span></div>`;
    const body = `<div class="list"><ul>${rows.join('\n')}</ul>${pager}</div>`;
    table.set(listPath(index), () => html(page('政府信息公开年报', body)));
  }
  items.forEach((item, index) => {
    const attachment =
      index % 2 === 0 ? `<ul><li>附件【<a href="${downloadPath(index)}">${item.title}.pdf</a>】已下载<span>3</span>次</li></ul>` : '';
    table.set(detailPath(index), () => html(reportPage(item, attachment)));
  });
  table.set('/info/1677/50000.htm', () => html(page('指南', '<h1>示例市财政局政府信息公开指南</h1>')));
  const files = new Map(items.map((item, index) => [downloadPath(index), { item, referer: detailPath(index) }] as const));
  const plain = routes(table, false);
  return {
    id: 'vsb',
    name: '示例市财政局',
    startPaths: ['/xxgk/zfxxgknb.htm'],
    handler: (request, url, body) => {
      const file = files.get(url.pathname + url.search);
      if (!file) return plain(request, url, body);
      // Like real VSB hosts: without the article as Referer, an HTML error page.
      return (request.headers.referer ?? '').endsWith(file.referer) ? sitePdf(file.item) : html(page('错误', '<p>非法下载</p>'));
    },
    planted: items.map((item, index) => ({
      id: item.id,
      title: item.title,
      documentPaths: [detailPath(index), ...(index % 2 === 0 ? [downloadPath(index)] : [])],
    })),
  };
}
