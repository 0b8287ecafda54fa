import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimulatedSite, type Simulator } from '../simulator/index.ts';
import { crawlSource, type CrawlResult } from './crawl-source.ts';
import type { CrawlOptions } from './page-crawler.ts';
import type { Source } from './types.ts';

const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 300,
  requestTimeoutSecs: 5,
  allowPrivateNetworks: true,
  concurrency: 4,
};

/** Asserts that the crawl found every planted document of the site and nothing else. */
function assertExactlyPlanted(site: SimulatedSite, result: CrawlResult): void {
  const expected = new Set(site.planted.flatMap((report) => report.documentUrls));
  const found = result.discovered.map((document) => document.url);
  assert.deepEqual([...new Set(found)].sort(), [...expected].sort());
  assert.equal(found.length, new Set(found).size, 'one document per URL');
}

describe('crawlSource on the simulated sites', () => {
  let simulator: Simulator;
  before(async () => {
    simulator = await startSimulator();
  });
  after(async () => simulator.close());

  const crawl = (id: string, change: Partial<Source> = {}) => crawlSource({ ...simulator.site(id).source, ...change }, options);

  for (const id of ['vsb', 'gkmlpt', 'gbk', 'duplicates']) {
    test(`${id}: finds every planted report document and nothing else, without errors`, async () => {
      const result = await crawl(id);
      assertExactlyPlanted(simulator.site(id), result);
      assert.deepEqual(result.errors, []);
    });
  }

  test('gbk: titles of a meta-only GBK site decode to the planted titles', async () => {
    const result = await crawl('gbk');
    const titles = new Set(result.discovered.map((document) => document.title));
    for (const report of simulator.site('gbk').planted) assert.ok(titles.has(report.title), report.title);
  });

  test('duplicates: a multi-page report is one document that lists its second part', async () => {
    const result = await crawl('duplicates');
    const article = result.discovered.find((document) => document.partUrls !== undefined);
    assert.ok(article);
    assert.deepEqual(article.partUrls, [article.url.replace(/\.html$/, '_1.html')]);
    assert.ok(!result.discovered.some((document) => /_1\.html$/.test(document.url)), 'the part is not a document of its own');
  });

  test('traps: session ids are stripped and the endless calendar is capped', async () => {
    const result = await crawl('traps');
    assertExactlyPlanted(simulator.site('traps'), result);
    assert.ok(result.pagesFetched < 60, `fetched ${result.pagesFetched} pages`);
  });

  test('flaky: 500s, a 503 with Retry-After and resets are retried until the crawl is complete', async () => {
    const result = await crawl('flaky');
    assertExactlyPlanted(simulator.site('flaky'), result);
    assert.deepEqual(result.errors, []);
  });

  test('moved: a column moved to the homepage is reported, and the new column is found from the root', async () => {
    const result = await crawl('moved');
    assertExactlyPlanted(simulator.site('moved'), result);
    const codes = result.errors.map((error) => error.code).sort();
    assert.deepEqual(codes, ['MOVED_TO_HOMEPAGE', 'SOFT_404']);
  });

  test('challenge: plain HTTP is blocked (521, and a WAF page answering 200), never "no reports"', async () => {
    for (const id of ['challenge', 'challenge200']) {
      await assert.rejects(crawl(id, { crawler: 'cheerio' }), (error: Error & { code?: string }) => error.code === 'BLOCKED');
    }
  });

  test('challenge: the browser passes the JS cookie challenge and finds every report', async () => {
    const result = await crawl('challenge', { crawler: 'playwright' });
    assert.equal(result.crawler, 'browser');
    assertExactlyPlanted(simulator.site('challenge'), result);
  });

  test('challenge: crawler auto switches to the browser once HTTP meets the challenge', async () => {
    const result = await crawl('challenge200', { crawler: 'auto' });
    assert.equal(result.crawler, 'browser');
    assertExactlyPlanted(simulator.site('challenge200'), result);
  });
});
