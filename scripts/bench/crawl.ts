/**
 * Crawl speed on a large simulated TRS site (50 list pages × 20 reports, generated on the fly): crawlSource
 * against a raw fetch loop over the same URLs at the same concurrency, then an incremental re-crawl of the unchanged
 * site with the first crawl's state.
 */
import { crawlSource } from '../../crawlers/index.ts';
import { html, listen, type Handler } from '../../simulator/http-util.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const LIST_PAGES = 50;
const PER_PAGE = 20;
const CONCURRENCY = 8;
const filler = '<p>本年度，本机关进一步健全公开工作机制，公开质量和时效稳步提升。</p>'.repeat(60);

const detailPath = (page: number, item: number) => `/zwgk/nb/202401/t20240115_${page * PER_PAGE + item + 100000}.html`;
const listPath = (page: number) => (page === 0 ? '/zwgk/nb/index.html' : `/zwgk/nb/index_${page}.html`);

function listPage(page: number): string {
  const rows = Array.from({ length: PER_PAGE }, (_, item) => {
    const year = 2000 + ((page * PER_PAGE + item) % 24);
    return `<li><a href="${detailPath(page, item)}" title="示例${page}-${item}县${year}年政府信息公开工作年度报告">示例…</a><span>2024-01-15</span></li>`;
  });
  return `<html><head><meta charset="utf-8"></head><body><ul>${rows.join('')}</ul><script>var countPage = ${LIST_PAGES}; createPageHTML(countPage, 0, "index", "html");</script>${filler}</body></html>`;
}

const handler: Handler = (_request, url) => {
  const list = /^\/zwgk\/nb\/index(?:_(\d+))?\.html$/.exec(url.pathname);
  if (list) return html(listPage(Number(list[1] ?? 0)));
  const id = /t20240115_(\d+)\.html$/.exec(url.pathname)?.[1];
  return id
    ? html(
        `<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="示例县2023年政府信息公开工作年度报告"></head><body><h1>${id}</h1>${filler}</body></html>`,
      )
    : { status: 404, body: '' };
};

async function rawFetchLoop(urls: string[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < urls.length) await (await fetch(urls[next++]!)).arrayBuffer();
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** bench crawl: pages_per_s raw_fetch_pages_per_s ratio recrawl_s cold_s recrawl_ratio. */
export async function bench(): Promise<BenchFields> {
  const server = await listen('127.0.0.1', handler);
  try {
    const source = {
      id: 'bench',
      name: 'bench',
      startUrls: [server.origin + listPath(0)],
      allowedHosts: [new URL(server.origin).host],
      politeness: { robots: 'ignore' as const },
    };
    const options = {
      userAgent: 'yangguang-bench',
      maxPages: 100_000,
      requestTimeoutSecs: 20,
      concurrency: CONCURRENCY,
      allowPrivateNetworks: true,
    };
    const cold = await timed(() => crawlSource(source, options));
    const urls = Array.from({ length: LIST_PAGES }, (_, page) => [
      server.origin + listPath(page),
      ...Array.from({ length: PER_PAGE }, (__, item) => server.origin + detailPath(page, item)),
    ]).flat();
    const raw = await timed(() => rawFetchLoop(urls));
    // The nightly case: the unchanged site re-crawled with the cold crawl's state (conditional list pages, no detail page).
    const recrawl = await timed(() => crawlSource(source, options, cold.result.state));
    const pagesPerSecond = perSecond(cold.result.pagesFetched, cold.seconds);
    const rawPerSecond = perSecond(urls.length, raw.seconds);
    return {
      pages_per_s: pagesPerSecond,
      raw_fetch_pages_per_s: rawPerSecond,
      ratio: pagesPerSecond / rawPerSecond,
      recrawl_s: recrawl.seconds,
      cold_s: cold.seconds,
      recrawl_ratio: recrawl.seconds / cold.seconds,
    };
  } finally {
    await server.close();
  }
}
