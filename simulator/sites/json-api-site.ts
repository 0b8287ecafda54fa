/** A province platform (Guangdong gkmlpt style): a JS shell whose list comes from /gkmlpt/api/all/{cat}?page=N&sid=…. */
import { html, type Handler, type Reply } from '../http-util.ts';
import { page, reportPage, siteItems, type SiteBuild } from './site-kit.ts';

const SID = '744031';
const CATEGORY = 2629;
const PER_PAGE = 2;

/** Builds the gkmlpt-style site: 5 reports and a guide in the JSON list, 3 API pages. */
export function buildJsonApiSite(): SiteBuild {
  const items = siteItems('gkmlpt', '样例区人民政府', 5, 2);
  const postPath = (index: number) => `/gkmlpt/content/3/3100/post_${3100457 + index}.html`;
  const articles = (origin: string) => [
    ...items.map((item, index) => ({
      id: 3100457 + index,
      title: item.title,
      url: origin + postPath(index),
      display_publish_time: item.publishedAt,
    })),
    {
      id: 3000001,
      title: '样例区政府信息公开指南',
      url: `${origin}/gkmlpt/content/3/3000/post_3000001.html`,
      display_publish_time: '2021-01-01',
    },
  ];
  const shell = page(
    '政府信息公开年报',
    `<div id="app"></div><script>window._CONFIG = {SID:'${SID}', TREE:[{id:${CATEGORY},name:'政府信息公开年报'},{id:2630,name:'法定主动公开内容'}]};</script><script src="/gkmlpt/static/js/app.js"></script>`,
  );
  const handler: Handler = (request, url): Reply => {
    const origin = `http://${request.headers.host}`;
    if (url.pathname === '/gkmlpt/annualreport') return html(shell);
    if (url.pathname === `/gkmlpt/api/all/${CATEGORY}` && url.searchParams.get('sid') === SID) {
      const all = articles(origin);
      const number = Number(url.searchParams.get('page') ?? 1);
      const body = JSON.stringify({ total: all.length, page: number, articles: all.slice((number - 1) * PER_PAGE, number * PER_PAGE) });
      return { status: 200, contentType: 'application/json; charset=utf-8', body };
    }
    const index = items.findIndex((_, candidate) => postPath(candidate) === url.pathname);
    if (index >= 0) return html(reportPage(items[index]!));
    return { status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>404 页面不存在</h1>' };
  };
  return {
    id: 'gkmlpt',
    name: '样例区人民政府',
    startPaths: ['/gkmlpt/annualreport'],
    handler,
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [postPath(index)] })),
  };
}
