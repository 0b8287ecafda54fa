/**
 * A site whose 年报 column moved: the old column URL 301-redirects to the homepage, an older one answers a soft
 * 404 (200 with 页面不存在). From the homepage, 政务公开 → 政府信息公开年报 leads to the new column.
 */
import { html, type Reply } from '../http-util.ts';
import { listRow, page, reportPage, routes, siteItems, type SiteBuild } from './site-kit.ts';

/** Builds the moved site: 2 reports in the new column. */
export function buildMovedSite(): SiteBuild {
  const items = siteItems('moved', '迁移县人民政府', 2, 8);
  const detailPath = (index: number) => `/zwgk/xxgknb/202401/t2024016${index}_40000${index}.html`;
  const table = new Map<string, () => Reply>([
    ['/zwgk/zfxxgknb/index.html', () => ({ status: 301, location: '/' })],
    ['/old/nb/index.html', () => html(page('提示', '<div class="err">对不起，您访问的页面不存在或已被删除！</div>'))],
    [
      '/',
      () =>
        html(
          page(
            '迁移县人民政府',
            '<div class="nav"><a href="/">首页</a><a href="/zwgk/index.html">政务公开</a><a href="/news/index.html">新闻中心</a></div>',
          ),
        ),
    ],
    [
      '/zwgk/index.html',
      () =>
        html(
          page(
            '政务公开',
            '<ul><li><a href="/zwgk/zfxxgkzn/index.html">政府信息公开指南</a></li><li><a href="/zwgk/xxgknb/index.html">政府信息公开年报</a></li></ul>',
          ),
        ),
    ],
    [
      '/zwgk/xxgknb/index.html',
      () =>
        html(
          page(
            '政府信息公开年报',
            `<ul>${items.map((item, index) => listRow(detailPath(index), item.title, item.publishedAt)).join('')}</ul>`,
          ),
        ),
    ],
  ]);
  items.forEach((item, index) => table.set(detailPath(index), () => html(reportPage(item))));
  return {
    id: 'moved',
    name: '迁移县人民政府',
    startPaths: ['/zwgk/zfxxgknb/index.html', '/old/nb/index.html'],
    handler: routes(table),
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [detailPath(index)] })),
  };
}
