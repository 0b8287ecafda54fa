/**
 * A site with crawler traps: an endless calendar (`?date=` pages whose 下一页 always leads to the next day) and
 * links carrying `;jsessionid=` values that change on every render.
 */
import { html, type Handler } from '../http-util.ts';
import { listRow, page, reportPage, siteItems, type SiteBuild } from './site-kit.ts';

/** Builds the traps site: 3 reports on the column page, listed again (other session ids) on every calendar day. */
export function buildTrapsSite(): SiteBuild {
  const items = siteItems('traps', '迷宫县人民政府', 3, 5);
  let renders = 0;
  const detailPath = (index: number) => `/xxgk/nb/202401/t2024013${index}_80000${index}.html`;
  const rows = () => {
    renders += 1;
    return items
      .map((item, index) => listRow(`${detailPath(index)};jsessionid=S${renders}X${index}`, item.title, item.publishedAt))
      .join('');
  };
  const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const handler: Handler = (_request, url) => {
    const path = url.pathname.replace(/;jsessionid=[^/]*/i, '');
    if (path === '/xxgk/nb/index.html') {
      return html(
        page(
          '政府信息公开年报',
          `<ul>${rows()}</ul><div class="calendar"><a href="/xxgk/nb/calendar.html?date=2024-01-01;jsessionid=C${renders}">下一页</a></div>`,
        ),
      );
    }
    if (path === '/xxgk/nb/calendar.html') {
      const date = (url.searchParams.get('date') ?? '2024-01-01').slice(0, 10);
      return html(
        page(
          `日历 ${date}`,
          `<h2>${date}</h2><ul>${rows()}</ul><a href="/xxgk/nb/calendar.html?date=${nextDay(date)}&jsessionid=C${renders}">下一页</a>`,
        ),
      );
    }
    const index = items.findIndex((_, candidate) => detailPath(candidate) === path);
    return index >= 0
      ? html(reportPage(items[index]!))
      : { status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>404 页面不存在</h1>' };
  };
  return {
    id: 'traps',
    name: '迷宫县人民政府',
    startPaths: ['/xxgk/nb/index.html'],
    handler,
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [detailPath(index)] })),
  };
}
