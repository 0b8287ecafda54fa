/**
 * Re-crawls with the previous crawl's state, against real servers on 127.0.0.1 that log every request they answer:
 * list pages are asked conditionally, known detail pages are not asked at all, and the same documents come out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemoPortals, startSimulator, type DemoPortals, type ServedRequest, type Simulator } from '../simulator/index.ts';
import { pageKey } from './crawl-state.ts';
import { crawlSource, type CrawlResult } from './crawl-source.ts';
import type { CrawlOptions } from './page-crawler.ts';
import { reply, startTestServer } from './test-server.ts';
import type { Source } from './types.ts';

const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 300,
  requestTimeoutSecs: 5,
  concurrency: 4,
  allowPrivateNetworks: true,
};

/** The requests a server log saw for one origin, robots.txt left out. */
function requestsTo(log: ServedRequest[], source: Source): ServedRequest[] {
  const origin = new URL(source.startUrls[0]!).origin;
  return log.filter((served) => served.url.startsWith(`${origin}/`) && !served.url.endsWith('/robots.txt'));
}

const urlsOf = (result: CrawlResult) => result.discovered.map((document) => document.url).sort();

/** Crawls `source` cold, then again with the state: both results and the requests of each crawl. */
async function crawlTwice(source: Source, log: ServedRequest[]) {
  const coldStart = log.length;
  const cold = await crawlSource(source, options);
  const coldRequests = requestsTo(log.slice(coldStart), source);
  const warmStart = log.length;
  const warm = await crawlSource(source, options, cold.state);
  return { cold, warm, coldRequests, warmRequests: requestsTo(log.slice(warmStart), source) };
}

/** The second crawl asked only list pages, each conditionally and answered 304, and found the same documents. */
function assertIncremental({ cold, warm, coldRequests, warmRequests }: Awaited<ReturnType<typeof crawlTwice>>): void {
  const links = Object.values(cold.state.pages).flatMap((memo) => memo.links);
  const detailUrls = new Set(links.filter((link) => link.label === 'DETAIL').map((link) => link.request.url));
  assert.ok(detailUrls.size > 0);
  assert.ok(warmRequests.length > 0, 'list pages are asked again');
  assert.ok(warmRequests.length < coldRequests.length, `${warmRequests.length} requests again out of ${coldRequests.length}`);
  for (const served of warmRequests) {
    assert.ok(served.conditional, `${served.method} ${served.url} asked conditionally`);
    assert.equal(served.status, 304, `${served.url} unchanged`);
    assert.ok(!detailUrls.has(served.url), `detail page ${served.url} not requested again`);
  }
  assert.deepEqual(urlsOf(warm), urlsOf(cold));
  assert.deepEqual([...warm.unchanged].sort(), urlsOf(warm), 'every document reached only through 304s');
  assert.deepEqual(cold.unchanged, [], 'a cold crawl vouches for nothing');
  assert.deepEqual(warm.disappeared, []);
  assert.equal(warm.pagesNotModified, warmRequests.length);
  assert.ok(warm.pagesSkipped > 0, 'known detail pages replayed');
  assert.deepEqual(warm.errors, []);
}

describe('incremental re-crawl of the demo portals', () => {
  const log: ServedRequest[] = [];
  let demo: DemoPortals;
  before(async () => {
    demo = await startDemoPortals({ onRequest: (served) => log.push(served) });
  });
  after(async () => demo.close());

  for (const portalId of ['gansu', 'huaian', 'county']) {
    test(`${portalId}: the second crawl asks list pages conditionally, no detail page, and finds the same documents`, async () => {
      const source = demo.portals.find((portal) => portal.id === portalId)!.source;
      assertIncremental(await crawlTwice(source, log));
    });
  }

  test('a report withdrawn from a column is reported as disappeared; the rest is replayed, not re-requested', async () => {
    const source = demo.portals.find((portal) => portal.id === 'gansu')!.source;
    const { warm } = await crawlTwice(source, log);
    const withdrawn = demo.planted.find((report) => report.portalId === 'gansu')!;
    demo.republish((items) => items.filter((item) => item.id !== withdrawn.id));
    try {
      const start = log.length;
      const third = await crawlSource(source, options, warm.state);
      const expectedGone = [withdrawn.detailUrl, withdrawn.pdfUrl].filter((url): url is string => url !== null).sort();
      assert.deepEqual(third.disappeared.map((document) => document.url).sort(), expectedGone);
      assert.deepEqual(
        urlsOf(third),
        urlsOf(warm).filter((url) => !expectedGone.includes(url)),
      );
      const detailRequests = requestsTo(log.slice(start), source).filter((served) => /\/t\d{8}_\d+\.html$/.test(served.url));
      assert.deepEqual(detailRequests, [], 'the remaining detail pages are known');
      // What a list page that answered in full leads to may have changed with it: only a 304 page's documents are vouched for.
      const listRequests = requestsTo(log.slice(start), source); // no detail page among them (above)
      const detailsUnder = (status: number) =>
        listRequests
          .filter((served) => served.status === status)
          .flatMap((served) =>
            third.state.pages[pageKey({ method: 'GET', url: served.url })]!.links.filter((link) => link.label === 'DETAIL').map(
              (link) => link.request.url,
            ),
          );
      assert.ok(detailsUnder(200).length > 0 && detailsUnder(304).length > 0, 'one list page changed, one did not');
      for (const url of detailsUnder(200)) assert.ok(!third.unchanged.includes(url), `${url} is under a page that changed`);
      for (const url of detailsUnder(304)) assert.ok(third.unchanged.includes(url), `${url} is under a page that answered 304`);
    } finally {
      demo.republish();
    }
  });
});

describe('incremental re-crawl of the simulated sites', () => {
  const log: ServedRequest[] = [];
  let simulator: Simulator;
  before(async () => {
    simulator = await startSimulator({ sites: ['vsb', 'gkmlpt', 'duplicates'], onRequest: (served) => log.push(served) });
  });
  after(async () => simulator.close());

  for (const id of ['vsb', 'gkmlpt', 'duplicates']) {
    test(`${id}: the second crawl asks list pages conditionally, no detail page, and finds the same documents`, async () => {
      assertIncremental(await crawlTwice(simulator.site(id).source, log));
    });
  }
});

describe('incremental re-crawl when a list page fails', () => {
  test('a list page failing with 503 keeps what it led to: nothing disappears, the state still knows it', async () => {
    let failing = false;
    const list = '<ul><li><a href="/a.html" title="甲县2021年政府信息公开工作年度报告">甲县</a><span>2022-01-10</span></li></ul>';
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/index.html') return reply(response, 200, '<a href="/nb/index_1.html">下一页</a>');
      if (request.url === '/nb/index_1.html') return failing ? reply(response, 503, 'busy') : reply(response, 200, list);
      if (request.url === '/a.html') return reply(response, 200, '<h1>甲县2021年政府信息公开工作年度报告</h1>');
      reply(response, 404, 'gone');
    });
    try {
      const source: Source = {
        id: 'flaky',
        name: 'flaky',
        startUrls: [`${server.origin}/nb/index.html`],
        allowedHosts: [new URL(server.origin).host],
      };
      const cold = await crawlSource(source, options);
      assert.deepEqual(urlsOf(cold), [`${server.origin}/a.html`]);
      failing = true;
      const warm = await crawlSource(source, options, cold.state);
      assert.deepEqual(
        warm.errors.map((error) => error.code),
        ['HTTP_503'],
      );
      assert.deepEqual(warm.disappeared, []);
      assert.deepEqual(Object.keys(warm.state.pages).sort(), Object.keys(cold.state.pages).sort());
    } finally {
      await server.close();
    }
  });

  test('a state of another source is ignored: the crawl is a cold one', async () => {
    const demo = await startDemoPortals();
    try {
      const [first, second] = demo.portals;
      const cold = await crawlSource(first!.source, options);
      const other = await crawlSource(second!.source, options, cold.state);
      assert.equal(other.pagesNotModified, 0);
      assert.equal(other.pagesSkipped, 0);
      assert.deepEqual(other.disappeared, []);
    } finally {
      await demo.close();
    }
  });
});
