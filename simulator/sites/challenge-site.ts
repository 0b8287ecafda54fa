/**
 * A site behind a JS cookie challenge (加速乐 style): without the cookie every page is a small page whose script
 * computes the cookie and reloads — answered 521, or 200 in the `status200` variant (a WAF page that answers 200).
 * Only a real browser gets through.
 */
import { html, type Handler } from '../http-util.ts';
import { listRow, page, reportPage, siteItems, type SiteBuild } from './site-kit.ts';

const COOKIE = '__jsl_clearance';
const VALUE = String((17 + 25) * 1000 + 7);

function challengePage(status: number): { status: number; contentType: string; body: string } {
  const script = `<script>var x=(17+25)*1000+7;document.cookie="${COOKIE}="+x+"; path=/";location.reload();</script>`;
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<html><head><meta charset="utf-8"></head><body>${script}</body></html>`,
  };
}

/** Builds the challenge site: 3 reports on one list page, all HTML. */
export function buildChallengeSite(options: { status200?: boolean } = {}): SiteBuild {
  const id = options.status200 ? 'challenge200' : 'challenge';
  const items = siteItems(id, '挑战县人民政府', 3, 1);
  const detailPath = (index: number) => `/zwgk/nb/202401/t2024011${index}_90000${index}.html`;
  const list = page(
    '政府信息公开年报',
    `<ul>${items.map((item, index) => listRow(detailPath(index), item.title, item.publishedAt)).join('')}</ul>`,
  );
  const handler: Handler = (request, url) => {
    const passed = (request.headers.cookie ?? '').split(';').some((pair) => pair.trim() === `${COOKIE}=${VALUE}`);
    if (!passed) return challengePage(options.status200 ? 200 : 521);
    if (url.pathname === '/zwgk/nb/index.html') return html(list);
    const index = items.findIndex((_, candidate) => detailPath(candidate) === url.pathname);
    return index >= 0
      ? html(reportPage(items[index]!))
      : { status: 404, body: '<h1>404 页面不存在</h1>', contentType: 'text/html; charset=utf-8' };
  };
  return {
    id,
    name: '挑战县人民政府',
    startPaths: ['/zwgk/nb/index.html'],
    handler,
    crawler: 'playwright',
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [detailPath(index)] })),
  };
}
