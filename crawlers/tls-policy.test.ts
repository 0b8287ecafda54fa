import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crawlSource } from './crawl-source.ts';
import type { CrawlOptions } from './page-crawler.ts';
import { CrawlError, FetchError } from './errors.ts';
import { fetchDocument, type FetchOptions } from './fetch-document.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { DiscoveredDocument, Source } from './types.ts';

const TITLE = '乙县2022年政府信息公开工作年度报告';

describe('a portal serving a self-signed certificate', () => {
  let server: TestServer;
  let rawDir: string;
  let fetchOptions: FetchOptions;
  const crawlOptions: CrawlOptions = {
    userAgent: 'yangguang-test/1.0',
    maxPages: 20,
    requestTimeoutSecs: 5,
    concurrency: 2,
    allowPrivateNetworks: true,
  };

  before(async () => {
    rawDir = await mkdtemp(path.join(tmpdir(), 'yangguang-tls-'));
    fetchOptions = {
      rawDir,
      userAgent: 'yangguang-test/1.0',
      requestTimeoutSecs: 5,
      maxBodyBytes: 1024 * 1024,
      allowPrivateNetworks: true,
    };
    server = await startTestServer(
      (request, response) => {
        if (request.url === '/nb/index.html')
          reply(response, 200, `<ul><li><a href="./report.pdf" title="${TITLE}">${TITLE}</a><span>2023-01-20</span></li></ul>`);
        else if (request.url === '/nb/report.pdf') reply(response, 200, '%PDF-1.4 report', { 'content-type': 'application/pdf' });
        else reply(response, 404, 'no');
      },
      { https: true },
    );
  });
  after(async () => {
    await server.close();
    await rm(rawDir, { recursive: true, force: true });
  });

  const source = (tls: Source['tls']): Source => ({
    id: 'tls',
    name: '乙县',
    startUrls: [`${server.origin}/nb/index.html`],
    allowedHosts: [new URL(server.origin).host],
    tls,
  });
  const document: () => DiscoveredDocument = () => ({
    sourceId: 'tls',
    url: `${server.origin}/nb/report.pdf`,
    title: TITLE,
    kindHint: 'pdf',
    foundOn: `${server.origin}/nb/index.html`,
    publishedAt: '2023-01-20',
  });

  test('strict (the default): the crawl fails on the certificate, and so does the fetch, not to be retried', async () => {
    await assert.rejects(crawlSource(source(undefined), crawlOptions), (error: unknown) => {
      assert.ok(error instanceof CrawlError);
      assert.equal(error.code, 'TLS_CERTIFICATE');
      assert.equal(error.retryable, false);
      return true;
    });
    await assert.rejects(fetchDocument(document(), fetchOptions), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.deepEqual([error.code, error.retryable], ['TLS_CERTIFICATE', false]);
      assert.match(error.message, /tls: ignore/);
      return true;
    });
  });

  test('ignore: the browser crawler gets through too, while strict fails it the same way', { timeout: 120_000 }, async () => {
    const result = await crawlSource({ ...source('ignore'), crawler: 'playwright' }, crawlOptions);
    assert.deepEqual(
      result.discovered.map((found) => found.url),
      [document().url],
    );
    await assert.rejects(
      crawlSource({ ...source(undefined), crawler: 'playwright' }, crawlOptions),
      (error: unknown) => error instanceof CrawlError && error.code === 'TLS_CERTIFICATE',
    );
  });

  test('ignore: the crawl finds the report and the fetch archives it', async () => {
    const result = await crawlSource(source('ignore'), crawlOptions);
    assert.deepEqual(
      result.discovered.map((found) => found.url),
      [document().url],
    );
    const fetched = await fetchDocument(document(), { ...fetchOptions, tls: 'ignore' });
    assert.equal((await readFile(fetched.archivePath)).toString('latin1'), '%PDF-1.4 report');
  });
});
