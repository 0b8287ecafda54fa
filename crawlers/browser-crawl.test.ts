/**
 * The browser crawler on the system chromium against real servers on 127.0.0.1: Hanweb's dataproxy.jsp POST paging
 * is followed, a re-crawl asks list pages conditionally (navigations and POSTs alike) and fetches no known detail
 * page, and both hold behind a JS cookie challenge.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { buildHanwebPortal } from '../simulator/hanweb-portal.ts';
import { listen } from '../simulator/http-util.ts';
import { startSimulator, type ColumnEdit, type RequestObserver, type ServedRequest, type Simulator } from '../simulator/index.ts';
import { crawlSource, type CrawlResult } from './crawl-source.ts';
import type { CrawlOptions } from './page-crawler.ts';
import { reply, startTestServer } from './test-server.ts';
import type { Source } from './types.ts';

const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 300,
  requestTimeoutSecs: 5,
  allowPrivateNetworks: true,
  concurrency: 4,
};

const inBrowser = (source: Source): Source => ({ ...source, crawler: 'playwright' });
const urlsOf = (result: CrawlResult) => result.discovered.map((document) => document.url).sort();
const isDataproxy = (url: string) => new URL(url).pathname === '/module/web/jpage/dataproxy.jsp';

/**
 * The requests a server log saw for one origin, robots.txt left out, and chromium's own favicon request, which
 * Playwright's routing never sees (it is the browser's, not the crawler's).
 */
function requestsTo(log: ServedRequest[], source: Source): ServedRequest[] {
  const origin = new URL(source.startUrls[0]!).origin;
  return log.filter((served) => served.url.startsWith(`${origin}/`) && !/\/(robots\.txt|favicon\.ico)$/.test(served.url));
}

/** Crawls `source` cold, then again with the state: both results and the requests of each crawl. */
async function crawlTwice(source: Source, log: ServedRequest[]) {
  const coldStart = log.length;
  const cold = await crawlSource(source, options);
  const coldRequests = requestsTo(log.slice(coldStart), source);
  const warmStart = log.length;
  const warm = await crawlSource(source, options, cold.state);
  return { cold, warm, coldRequests, warmRequests: requestsTo(log.slice(warmStart), source) };
}

/** The detail pages the crawl's list pages led to. */
function detailUrlsOf(result: CrawlResult): Set<string> {
  const links = Object.values(result.state.pages).flatMap((memo) => memo.links);
  return new Set(links.filter((link) => link.label === 'DETAIL').map((link) => link.request.url));
}

/** A Hanweb portal and what is planted in it (the URLs of each report's detail page and PDF). */
interface HanwebSite {
  source: Source;
  planted: { id: string; detailUrl: string; pdfUrl: string | null }[];
  /** Serves the column through `edit` from now on (none: as planted). */
  republish(edit?: ColumnEdit): void;
  close(): Promise<void>;
}

/**
 * The demo Hanweb portal (huaian) with one record a page: the column page lists the first report inline, every
 * other one is listed only by dataproxy.jsp POSTs (the demo's two inline records would hold all its reports).
 */
async function startHanwebSite(onRequest: RequestObserver): Promise<HanwebSite> {
  const settings = {
    id: 'huaian',
    siteName: '淮安市人民政府',
    regionCode: '320800',
    level: 'prefecture' as const,
    columnId: 28956,
    unitId: 88231,
    perPage: 1,
  };
  const build = buildHanwebPortal(settings);
  let handler = build.handler;
  const server = await listen('127.0.0.1', (request, url, body) => handler(request, url, body), onRequest);
  const planted = [...build.locations].map(([id, location]) => ({
    id,
    detailUrl: server.origin + location.detailPath,
    pdfUrl: location.pdfPath ? server.origin + location.pdfPath : null,
  }));
  const source: Source = {
    id: 'hanweb-browser',
    name: settings.siteName,
    startUrls: build.startPaths.map((path) => server.origin + path),
    allowedHosts: [new URL(server.origin).host],
    crawler: 'playwright',
  };
  const republish = (edit?: ColumnEdit) => void (handler = buildHanwebPortal({ ...settings, ...(edit ? { edit } : {}) }).handler);
  return { source, planted, republish, close: server.close };
}

describe('browser crawl of a Hanweb portal', () => {
  const log: ServedRequest[] = [];
  let site: HanwebSite;
  let crawls: Awaited<ReturnType<typeof crawlTwice>>;
  before(async () => {
    site = await startHanwebSite((served) => log.push(served));
    crawls = await crawlTwice(site.source, log);
  });
  after(async () => site.close());

  test('finds every planted report, those listed only by the dataproxy.jsp POST paging too, as plain HTTP does', async () => {
    const { cold, coldRequests } = crawls;
    assert.equal(cold.crawler, 'browser');
    assert.deepEqual(cold.errors, []);
    const found = new Map(cold.discovered.map((document) => [document.url, document]));
    for (const report of site.planted) {
      for (const url of [report.detailUrl, report.pdfUrl]) if (url) assert.ok(found.has(url), `missing ${url}`);
    }
    const listedByPost = site.planted.filter((report) => isDataproxy(found.get(report.detailUrl)!.foundOn));
    assert.ok(listedByPost.length > 0, 'some planted reports are listed only by dataproxy.jsp');
    assert.ok(
      coldRequests.some((served) => served.method === 'POST' && isDataproxy(served.url) && served.status === 200),
      'POSTed',
    );
    const overHttp = await crawlSource({ ...site.source, crawler: 'cheerio' }, options);
    assert.deepEqual(urlsOf(cold), urlsOf(overHttp));
  });

  test('a re-crawl asks the column page and the POST pages conditionally, and no detail page', () => {
    const { cold, warm, warmRequests } = crawls;
    const detailUrls = detailUrlsOf(cold);
    assert.ok(detailUrls.size > 0);
    assert.ok(warmRequests.some((served) => served.method === 'GET') && warmRequests.some((served) => served.method === 'POST'));
    for (const served of warmRequests) {
      assert.ok(served.conditional, `${served.method} ${served.url} asked conditionally`);
      assert.equal(served.status, 304, `${served.method} ${served.url} unchanged`);
      assert.ok(!detailUrls.has(served.url), `detail page ${served.url} not requested again`);
    }
    assert.equal(warm.pagesNotModified, warmRequests.length);
    assert.equal(warm.pagesSkipped, detailUrls.size);
    assert.deepEqual(urlsOf(warm), urlsOf(cold));
    assert.deepEqual(warm.disappeared, []);
    assert.deepEqual(warm.errors, []);
  });

  test('a re-crawl of a changed column reads the new answers: a withdrawn report disappears', async () => {
    const withdrawn = site.planted.at(-1)!;
    site.republish((items) => items.filter((item) => item.id !== withdrawn.id));
    try {
      const start = log.length;
      const third = await crawlSource(site.source, options, crawls.warm.state);
      const expectedGone = [withdrawn.detailUrl, withdrawn.pdfUrl].filter((url): url is string => url !== null).sort();
      assert.deepEqual(third.disappeared.map((document) => document.url).sort(), expectedGone);
      assert.deepEqual(
        urlsOf(third),
        urlsOf(crawls.warm).filter((url) => !expectedGone.includes(url)),
      );
      const changed = requestsTo(log.slice(start), site.source).filter((served) => served.conditional && served.status === 200);
      assert.ok(changed.length > 0, 'a conditional request answered in full');
      assert.deepEqual(third.errors, []);
    } finally {
      site.republish();
    }
  });
});

describe('browser crawl behind a JS cookie challenge', () => {
  const log: ServedRequest[] = [];
  let simulator: Simulator;
  before(async () => {
    simulator = await startSimulator({ sites: ['challenge'], onRequest: (served) => log.push(served) });
  });
  after(async () => simulator.close());

  test('the re-crawl passes the challenge and asks the list page conditionally', async () => {
    const site = simulator.site('challenge');
    const { cold, warm, warmRequests } = await crawlTwice(site.source, log);
    assert.deepEqual(urlsOf(cold), site.planted.flatMap((report) => report.documentUrls).sort());
    const detailUrls = detailUrlsOf(cold);
    for (const served of warmRequests) {
      assert.ok(served.conditional, `${served.method} ${served.url} asked conditionally`);
      assert.ok(!detailUrls.has(served.url), `detail page ${served.url} not requested again`);
    }
    assert.deepEqual(
      warmRequests.map((served) => served.status),
      [521, 304],
      'the challenge, then the reload with its cookie',
    );
    assert.equal(warm.pagesNotModified, 1);
    assert.equal(warm.pagesSkipped, detailUrls.size);
    assert.deepEqual(urlsOf(warm), urlsOf(cold));
    assert.deepEqual(warm.errors, []);
  });

  test('a POST page meeting the challenge (an expired cookie) is asked again after the tab passes it', async () => {
    const site = expiringChallengeSite();
    const server = await startTestServer(site.handler);
    try {
      const source: Source = {
        id: 'expiring',
        name: 'expiring',
        startUrls: [`${server.origin}/col/index.html`],
        allowedHosts: [new URL(server.origin).host],
      };
      const result = await crawlSource(inBrowser(source), options);
      assert.deepEqual(result.errors, []);
      assert.deepEqual(
        urlsOf(result),
        site.titles.map((_, index) => `${server.origin}/art/${index}.html`),
      );
      assert.deepEqual(site.postStatuses.slice(0, 2), [521, 200], 'the first POST met the challenge, its second try passed');
    } finally {
      await server.close();
    }
  });
});

/**
 * A Hanweb-style column behind a cookie challenge (one record inline, one per dataproxy.jsp POST) whose cookies all
 * expire when the first POST arrives: that POST meets the challenge, which only a navigation can pass.
 */
function expiringChallengeSite() {
  const titles = ['甲', '乙', '丙'].map((name) => `${name}县人民政府2022年政府信息公开工作年度报告`);
  const record = (index: number) =>
    `<record><![CDATA[<li><a href="/art/${index}.html" title="${titles[index]}">${titles[index]}</a><span>2023-01-1${index}</span></li>]]></record>`;
  const column = `<html><body><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&columnid=7&unitid=8"></a>]]></nextgroup>
<recordset>${record(0)}</recordset></datastore></script>
<script>jpageform_8 = {col:1, appid:1, webid:1, columnid:7, unitid:8, perpage:1, groupsize:1};</script></body></html>`;
  const tokens = new Set<string>();
  const postStatuses: number[] = [];
  let cookiesExpire = true;

  const answer = (request: IncomingMessage, url: URL): [number, string] => {
    const token = /__jsl_clearance=(\w+)/.exec(request.headers.cookie ?? '')?.[1];
    if (!token || !tokens.has(token)) {
      const fresh = randomUUID().replace(/-/g, '');
      tokens.add(fresh);
      return [521, `<html><body><script>document.cookie="__jsl_clearance=${fresh}; path=/";location.reload();</script></body></html>`];
    }
    if (url.pathname === '/col/index.html') return [200, column];
    if (isDataproxy(url.href) && request.method === 'POST') {
      const start = Number(url.searchParams.get('startrecord'));
      const end = Number(url.searchParams.get('endrecord'));
      const records = titles
        .map((_, index) => record(index))
        .slice(start - 1, end)
        .join('\n');
      return [
        200,
        `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>${titles.length}</totalrecord><recordset>${records}</recordset></datastore>`,
      ];
    }
    const article = /^\/art\/(\d)\.html$/.exec(url.pathname);
    const title = article ? titles[Number(article[1])] : undefined;
    return title
      ? [200, `<html><head><meta name="ArticleTitle" content="${title}"></head><body><h1>${title}</h1></body></html>`]
      : [404, '<h1>404</h1>'];
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    if (request.method === 'POST' && cookiesExpire) {
      cookiesExpire = false;
      tokens.clear();
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const [status, body] = answer(request, url);
    if (request.method === 'POST') postStatuses.push(status);
    reply(response, status, body, isDataproxy(url.href) && status === 200 ? { 'content-type': 'text/xml; charset=utf-8' } : {});
  };
  return { titles, postStatuses, handler };
}
