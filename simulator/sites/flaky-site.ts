/**
 * A flaky TRS-style site: the first request of each URL fails, deterministically by URL — a 500, a 503 with
 * Retry-After, a reset connection, or a slow answer — and the next one succeeds.
 */
import { createHash } from 'node:crypto';
import { html, type Handler, type Reply } from '../http-util.ts';
import { listRow, page, reportPage, siteItems, type SiteBuild } from './site-kit.ts';

type Fault = 'status500' | 'retryAfter' | 'reset' | 'slow' | 'none';
const FAULTS: Fault[] = ['status500', 'retryAfter', 'reset', 'none'];

function faultOf(path: string): Fault {
  return FAULTS[createHash('md5').update(path).digest()[0]! % FAULTS.length]!;
}

function faulty(fault: Fault, slowMs: number): Reply | null {
  if (fault === 'status500') return { status: 500, contentType: 'text/plain', body: 'Internal Server Error' };
  if (fault === 'retryAfter') return { status: 503, contentType: 'text/plain', body: 'busy', headers: { 'retry-after': '1' } };
  if (fault === 'reset') return { status: 0, reset: true };
  if (fault === 'slow') return { ...html('<p>slow</p>'), delayMs: slowMs };
  return null;
}

/**
 * Builds the flaky site: 4 reports, 2 per page (TRS 0-based pager). `slowMs` (default 0 = no slow fault): the
 * start page's first answer comes that late, past a client's timeout.
 */
export function buildFlakySite(options: { slowMs?: number } = {}): SiteBuild {
  const items = siteItems('flaky', '波动县人民政府', 4, 3);
  const attempts = new Map<string, number>();
  const detailPath = (index: number) => `/xxgk/nb/202401/t2024012${index}_70000${index}.html`;
  const listPages = [0, 1].map((number) => {
    const rows = items
      .slice(number * 2, number * 2 + 2)
      .map((item, offset) => listRow(detailPath(number * 2 + offset), item.title, item.publishedAt));
    return page(
      '政府信息公开年报',
      `<ul>${rows.join('')}</ul><script>var countPage = 2; createPageHTML(countPage, ${number}, "index", "html");</script>`,
    );
  });
  const handler: Handler = (_request, url) => {
    const key = url.pathname;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const fault = key === '/xxgk/nb/index.html' && options.slowMs ? 'slow' : faultOf(key);
    if (attempt === 1 && fault !== 'slow') {
      const failure = faulty(fault, 0);
      if (failure) return failure;
    }
    if (attempt === 1 && fault === 'slow') return { ...html(listPages[0]!), delayMs: options.slowMs! };
    if (key === '/xxgk/nb/index.html') return html(listPages[0]!);
    if (key === '/xxgk/nb/index_1.html') return html(listPages[1]!);
    const index = items.findIndex((_, candidate) => detailPath(candidate) === key);
    return index >= 0
      ? html(reportPage(items[index]!))
      : { status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>404 页面不存在</h1>' };
  };
  return {
    id: 'flaky',
    name: '波动县人民政府',
    startPaths: ['/xxgk/nb/index.html'],
    handler,
    planted: items.map((item, index) => ({ id: item.id, title: item.title, documentPaths: [detailPath(index)] })),
  };
}
