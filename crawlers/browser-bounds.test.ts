/**
 * The browser crawler under the network policy and the page cap (issue #14): chromium's requests are checked by a
 * route before they leave, and an oversized answer is stopped inside chromium. 127.0.0.2 stands for an internal
 * address; it bypasses the dead proxy here, so that only the guard stands between a page and it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crawlSource } from './crawl-source.ts';
import { CrawlError } from './errors.ts';
import { hugePage } from './hostile-answers.ts';
import type { CrawlOptions } from './page-crawler.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { Source } from './types.ts';

const MB = 1024 * 1024;
const REPORT = '2024年政府信息公开工作年度报告';
const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 10,
  requestTimeoutSecs: 20,
  concurrency: 1,
  allowPrivateNetworks: false,
  allowedPrivateAddresses: ['127.0.0.1'],
  maxPageBytes: MB,
  browserProxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1,127.0.0.2' },
};

const source = (server: TestServer, path: string): Source => ({
  id: 'browser-bounds',
  name: '某县人民政府',
  startUrls: [server.origin + path],
  allowedHosts: [new URL(server.origin).host],
  crawler: 'playwright',
  politeness: { robots: 'ignore' },
});

describe('the browser crawler under the network policy and the page cap', () => {
  let site: TestServer;
  let inside: TestServer;
  before(async () => {
    inside = await startTestServer((_request, response) => reply(response, 200, 'internal'), { host: '127.0.0.2' });
    site = await startTestServer((request, response) => {
      if (request.url === '/huge.html') return void hugePage(response, 20 * MB);
      if (request.url === '/reaching.html') {
        const page = `<img src="${inside.origin}/pixel.png"><iframe src="${inside.origin}/frame.html"></iframe><script>fetch('${inside.origin}/api').catch(() => {})</script>`;
        return reply(
          response,
          200,
          `<html><body>${page}<ul><li><a href="./report.pdf" title="${REPORT}">${REPORT}</a></li></ul></body></html>`,
        );
      }
      reply(response, 404, 'not found');
    });
  });
  after(async () => Promise.all([site.close(), inside.close()]));

  test('a start URL on 127.0.0.2 is refused before chromium navigates', async () => {
    const error = await crawlSource(source(inside, '/zfxxgknb/'), options).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof CrawlError);
    assert.deepEqual([error.code, error.retryable], ['ADDRESS_REFUSED', false]);
    assert.equal(inside.seen.length, 0);
  });

  test("a page's image, frame and fetch to 127.0.0.2 are aborted; the page itself is read", async () => {
    const result = await crawlSource(source(site, '/reaching.html'), options);
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/report.pdf'],
    );
    assert.equal(inside.seen.length, 0);
  });

  test('a page past the cap is stopped inside chromium and recorded as PAGE_TOO_LARGE, not retried', async () => {
    const before = site.seen.length;
    const error = await crawlSource(source(site, '/huge.html'), options).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof CrawlError);
    assert.deepEqual([error.code, error.retryable], ['PAGE_TOO_LARGE', false]);
    assert.equal(site.seen.length - before, 1);
  });
});
