/** A legacy GBK site: bytes in GBK, charset only in <meta> (gb2312), plain `list.asp?page=N` paging by 下一页 links. */
import iconv from 'iconv-lite';
import type { Reply } from '../http-util.ts';
import { listRow, page, reportPage, routes, siteItems, type SiteBuild } from './site-kit.ts';

const gbk = (text: string): Reply => ({ status: 200, contentType: 'text/html', body: iconv.encode(text, 'gbk') });

/** Builds the GBK site: 5 reports, 2 per page, 3 list pages. */
export function buildGbkSite(): SiteBuild {
  const items = siteItems('gbk', '旧城县人民政府', 5, 4);
  const table = new Map<string, () => Reply>();
  const pageCount = Math.ceil(items.length / 2);
  const detailPath = (index: number) => `/news/show.asp?id=${101 + index}`;
  for (let number = 1; number <= pageCount; number++) {
    const rows = items
      .slice((number - 1) * 2, number * 2)
      .map((item, offset) => listRow(detailPath((number - 1) * 2 + offset), item.title, item.publishedAt));
    const next = number < pageCount ? `<a href="list.asp?page=${number + 1}">下一页</a>` : '';
    table.set(`/news/list.asp?page=${number}`, () => gbk(page('政府信息公开年报', `<ul>${rows.join('')}</ul>${next}`, 'gb2312')));
  }
  items.forEach((item, index) => table.set(detailPath(index), () => gbk(reportPage(item, '', 'gb2312'))));
  return {
    id: 'gbk',
    name: '旧城县人民政府',
    startPaths: ['/news/list.asp?page=1'],
    handler: routes(table, true),
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [detailPath(index)] })),
  };
}
