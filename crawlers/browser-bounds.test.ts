/**
 * The browser crawler under the network policy and the page cap (issue #14): chromium has no network of its own,
 * every request of its tabs is sent by the crawler's policy-checked client (browser-network.ts), redirects checked
 * before chromium sees them, bodies cut at the cap while they stream. 127.0.0.2 stands for an internal address. No
 * dead proxy here: nothing but the routes and chromium's resolver rule stands between a page and the network.
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
};

const source = (server: TestServer, path: string, alsoAllowed: TestServer[] = []): Source => ({
  id: 'browser-bounds',
  name: '某县人民政府',
  startUrls: [server.origin + path],
  allowedHosts: [server, ...alsoAllowed].map((allowed) => new URL(allowed.origin).host),
  crawler: 'playwright',
  politeness: { robots: 'ignore' },
});

const listOf = (...hrefs: string[]) =>
  `<html><body><ul>${hrefs.map((href) => `<li><a href="${href}" title="${REPORT}">${REPORT}</a><span>2025-01-20</span></li>`).join('')}</ul></body></html>`;
const pathsOf = (server: TestServer) => server.seen.map((request) => request.path);

describe('the browser crawler under the network policy and the page cap', () => {
  let site: TestServer;
  let inside: TestServer;
  let elsewhere: TestServer;
  before(async () => {
    inside = await startTestServer((_request, response) => reply(response, 200, listOf('./secret.pdf')), { host: '127.0.0.2' });
    elsewhere = await startTestServer((_request, response) => reply(response, 200, listOf('./elsewhere.pdf')));
    site = await startTestServer((request, response) => {
      const redirect = (location: string) => reply(response, 302, '', { location });
      if (request.url === '/huge.html') return void hugePage(response, 20 * MB);
      if (request.url === '/old/') return redirect('/nb/index.html');
      if (request.url === '/nb/index.html') return reply(response, 200, listOf('./report.pdf'));
      if (request.url === '/to-inside/') return reply(response, 200, listOf('./t20250120_1.html'));
      if (request.url === '/to-inside/t20250120_1.html') return redirect(`${inside.origin}/nb/t20250120_1.html`);
      if (request.url === '/off-site/') return reply(response, 200, listOf('./t20250120_1.html'));
      if (request.url === '/off-site/t20250120_1.html') return redirect(`${elsewhere.origin}/nb/t20250120_1.html`);
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
  after(async () => Promise.all([site.close(), inside.close(), elsewhere.close()]));

  test('a start URL on 127.0.0.2 is refused by the connector: the inside sees no request', async () => {
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

  test('a start page redirecting on its site is read at its final URL, its relative links resolved there', async () => {
    const result = await crawlSource(source(site, '/old/'), options);
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/nb/report.pdf'],
    );
  });

  test("a report link redirecting to 127.0.0.2 (on the source's hosts) is recorded as ADDRESS_REFUSED: the inside sees no request", async () => {
    const result = await crawlSource(source(site, '/to-inside/', [inside]), options);
    const failure = result.errors.find((error) => error.url.endsWith('/to-inside/t20250120_1.html'));
    assert.ok(failure, JSON.stringify(result.errors));
    assert.equal(failure.code, 'ADDRESS_REFUSED');
    assert.match(failure.message, /127\.0\.0\.2 is a loopback address: refused by the network policy/);
    assert.deepEqual(pathsOf(inside), []);
  });

  test("a report link redirecting off the source's hosts is recorded as REDIRECT_OFF_SITE: the other server sees no request", async () => {
    const result = await crawlSource(source(site, '/off-site/'), options);
    const failure = result.errors.find((error) => error.url.endsWith('/off-site/t20250120_1.html'));
    assert.ok(failure, JSON.stringify(result.errors));
    assert.equal(failure.code, 'REDIRECT_OFF_SITE');
    assert.match(failure.message, new RegExp(`redirects to ${elsewhere.origin}/nb/t20250120_1\\.html, off the source's hosts`));
    assert.deepEqual(pathsOf(elsewhere), []);
  });

  test('a page past the cap is cut while it streams, never reaching chromium, and recorded as PAGE_TOO_LARGE, not retried', async () => {
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
