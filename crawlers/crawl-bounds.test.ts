/**
 * The crawl under hostile pages and addresses (issue #14): page-size caps enforced while streaming, the network
 * policy, redirects kept on the source's hosts, bad URLs refused for good, the per-source time budget.
 * 127.0.0.2 stands for an internal address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { crawlSource } from './crawl-source.ts';
import { CrawlError } from './errors.ts';
import { dribble, gzipBomb, hugePage } from './hostile-answers.ts';
import type { CrawlOptions } from './page-crawler.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { Source } from './types.ts';

const MB = 1024 * 1024;
/** 127.0.0.1 reachable, the rest of loopback (127.0.0.2) refused: the policy as production has it, for one test address. */
const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 50,
  requestTimeoutSecs: 10,
  concurrency: 2,
  allowPrivateNetworks: false,
  allowedPrivateAddresses: ['127.0.0.1'],
  maxPageBytes: MB,
};

const REPORT = '2024年政府信息公开工作年度报告';
const listOf = (...links: string[]) =>
  `<html><body><ul>${links.map((href) => `<li><a href="${href}" title="${REPORT}">${REPORT}</a><span>2025-01-20</span></li>`).join('')}</ul></body></html>`;

function sourceOf(server: TestServer, path: string, extraHosts: string[] = []): Source {
  return {
    id: 'hostile',
    name: '某县人民政府',
    startUrls: [server.origin + path],
    allowedHosts: [new URL(server.origin).host, ...extraHosts],
    politeness: { robots: 'ignore' },
  };
}

async function crawlError(promise: Promise<unknown>): Promise<CrawlError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof CrawlError, `expected a CrawlError, got ${String(error)}`);
  return error;
}

describe('crawl: pages are bounded while they stream', () => {
  let server: TestServer;
  const sent = { bytes: 0 };
  before(async () => {
    server = await startTestServer((request, response) => {
      if (request.url === '/huge/index.html') return void hugePage(response, 2 * 1024 * MB, sent);
      if (request.url === '/bomb/index.html') return void gzipBomb(response, MB);
      if (request.url === '/article/index.html') return reply(response, 200, listOf('./big-article.html', './report.pdf'));
      if (request.url === '/article/big-article.html') return void hugePage(response, 50 * MB);
      reply(response, 404, 'not found');
    });
  });
  after(async () => server.close());

  test('a 2 GB list page fails as PAGE_TOO_LARGE, read no further than the cap', async () => {
    const error = await crawlError(crawlSource(sourceOf(server, '/huge/index.html'), options));
    assert.deepEqual([error.code, error.retryable], ['PAGE_TOO_LARGE', false]);
    assert.match(error.message, /larger than the 1048576-byte page limit/);
    // The server stops once the crawler hangs up: far from 2 GB went out (socket buffers hold a few MB at most).
    assert.ok(sent.bytes > MB && sent.bytes < 64 * MB, `the server sent ${sent.bytes} bytes`);
  });

  test('a gzip bomb as a list page fails as PAGE_TOO_LARGE: the cap counts decompressed bytes', async () => {
    const error = await crawlError(crawlSource(sourceOf(server, '/bomb/index.html'), options));
    assert.deepEqual([error.code, error.retryable], ['PAGE_TOO_LARGE', false]);
  });

  test('a 50 MB article page is recorded as PAGE_TOO_LARGE; the rest of the list is still crawled', async () => {
    const result = await crawlSource(sourceOf(server, '/article/index.html'), options);
    const failure = result.errors.find((error) => error.url.endsWith('/big-article.html'));
    assert.equal(failure?.code, 'PAGE_TOO_LARGE');
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/article/report.pdf'],
    );
  });
});

describe('crawl: the network policy and redirects', () => {
  let site: TestServer;
  let elsewhere: TestServer;
  let inside: TestServer;
  before(async () => {
    inside = await startTestServer((_request, response) => reply(response, 200, listOf('/secret.pdf')), { host: '127.0.0.2' });
    elsewhere = await startTestServer((_request, response) => reply(response, 200, listOf('/elsewhere.pdf')));
    site = await startTestServer((request, response) => {
      if (request.url === '/moved/index.html') return reply(response, 302, '', { location: `${elsewhere.origin}/nb/index.html` });
      if (request.url === '/inward/index.html') return reply(response, 302, '', { location: `${inside.origin}/nb/index.html` });
      if (request.url === '/nb/index.html') return reply(response, 200, listOf('./list-2.html', './report.pdf'));
      if (request.url === '/nb/list-2.html') return reply(response, 302, '', { location: `${elsewhere.origin}/nb/list-2.html` });
      if (request.url === '/nb/creds.html')
        return reply(response, 200, listOf(`http://user:secret@${new URL(site.origin).host}/nb/t20250120_1.html`));
      reply(response, 404, 'not found');
    });
  });
  after(async () => Promise.all([site.close(), elsewhere.close(), inside.close()]));

  test('a start URL on an internal address (127.0.0.2) is refused without a packet sent', async () => {
    const error = await crawlError(crawlSource(sourceOf(inside, '/nb/index.html'), options));
    assert.deepEqual([error.code, error.retryable], ['ADDRESS_REFUSED', false]);
    assert.match(error.message, /127\.0\.0\.2 is a loopback address/);
    assert.equal(inside.seen.length, 0);
  });

  test('the same start URL is crawled when private networks are allowed', async () => {
    const result = await crawlSource(sourceOf(inside, '/nb/index.html'), { ...options, allowPrivateNetworks: true });
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/secret.pdf'],
    );
    inside.seen.length = 0;
  });

  test('a start page redirecting to another host is REDIRECT_OFF_SITE, naming both URLs, and the target is not asked', async () => {
    const error = await crawlError(crawlSource(sourceOf(site, '/moved/index.html'), options));
    assert.deepEqual([error.code, error.retryable], ['REDIRECT_OFF_SITE', false]);
    assert.ok(error.message.includes(`${site.origin}/moved/index.html redirects to ${elsewhere.origin}/nb/index.html`), error.message);
    assert.equal(elsewhere.seen.length, 0);
  });

  test('a list page redirecting off the site is recorded and not followed; the rest of the crawl goes on', async () => {
    const result = await crawlSource(sourceOf(site, '/nb/index.html'), options);
    const failure = result.errors.find((error) => error.url.endsWith('/nb/list-2.html'));
    assert.equal(failure?.code, 'REDIRECT_OFF_SITE');
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/nb/report.pdf'],
    );
    assert.equal(elsewhere.seen.length, 0);
  });

  test('a redirect to 127.0.0.2 is refused at the connection even when its host is allowed', async () => {
    const error = await crawlError(crawlSource(sourceOf(site, '/inward/index.html', [new URL(inside.origin).host]), options));
    assert.deepEqual([error.code, error.retryable], ['ADDRESS_REFUSED', false]);
    assert.equal(inside.seen.length, 0);
  });

  test('a link with credentials is INVALID_URL, not a retried network error', async () => {
    const result = await crawlSource(sourceOf(site, '/nb/creds.html'), options);
    const failure = result.errors.find((error) => error.code === 'INVALID_URL');
    assert.match(failure?.message ?? '', /credentials/);
    assert.equal(site.seen.filter((request) => request.path.includes('t20250120_1')).length, 0);
  });
});

describe('crawl: a time budget per source', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer((_request, response) => dribble(response, 200));
  });
  after(async () => server.close());

  test('a start page dribbling a byte at a time ends at the budget as SOURCE_BUDGET_EXCEEDED, not retried', async () => {
    const error = await crawlError(crawlSource(sourceOf(server, '/nb/index.html'), { ...options, requestTimeoutSecs: 600, budgetSecs: 1 }));
    assert.deepEqual([error.code, error.retryable], ['SOURCE_BUDGET_EXCEEDED', false]);
    assert.equal(server.seen.length, 1);
  });
});

describe('crawl: robots.txt is read up to 512 KiB', () => {
  let server: TestServer;
  const robotsSent = { bytes: 0 };
  before(async () => {
    server = await startTestServer((request, response) => {
      if (request.url === '/robots.txt') return void hugePage(response, 2 * 1024 * MB, robotsSent);
      if (request.url === '/nb/index.html') return reply(response, 200, listOf('./report.pdf'));
      reply(response, 404, 'not found');
    });
  });
  after(async () => server.close());

  test('a 2 GB robots.txt is cut at the cap and the crawl goes on', async () => {
    const result = await crawlSource({ ...sourceOf(server, '/nb/index.html'), politeness: { robots: 'obey' } }, options);
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/nb/report.pdf'],
    );
    assert.ok(robotsSent.bytes > 0 && robotsSent.bytes < 64 * MB, `the server sent ${robotsSent.bytes} bytes of robots.txt`);
  });
});
