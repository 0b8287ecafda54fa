import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { sha256Hex } from '../shared/files.ts';
import { startDemoPortals, type DemoPortals } from '../simulator/index.ts';
import { FetchError } from './errors.ts';
import { fetchDocument, partsSha256, type FetchOptions } from './fetch-document.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { DiscoveredDocument } from './types.ts';

let rawDir: string;
let options: FetchOptions;
before(async () => {
  rawDir = await mkdtemp(path.join(tmpdir(), 'yangguang-fetch-'));
  options = { rawDir, userAgent: 'yangguang-test/1.0', requestTimeoutSecs: 5, maxBodyBytes: 1024 * 1024, allowPrivateNetworks: true };
});
after(async () => rm(rawDir, { recursive: true, force: true }));

function discovered(url: string, kindHint: DiscoveredDocument['kindHint'] = 'pdf'): DiscoveredDocument {
  return {
    sourceId: 'test',
    url,
    title: '甲县2021年政府信息公开工作年度报告',
    kindHint,
    foundOn: new URL('/nb/', url).href,
    publishedAt: '2022-01-10',
  };
}

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof FetchError, `expected a FetchError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the fetch to throw');
}

describe('fetchDocument on the demo portals', () => {
  let demo: DemoPortals;
  before(async () => {
    demo = await startDemoPortals();
  });
  after(async () => demo.close());

  test('archives a TRS PDF under its sha256 and describes it', async () => {
    const report = demo.planted.find((candidate) => candidate.portalId === 'gansu' && candidate.pdfUrl)!;
    const fetched = await fetchDocument(discovered(report.pdfUrl!), options);
    const bytes = await readFile(fetched.archivePath);
    assert.equal(fetched.archivePath, path.join(rawDir, fetched.sha256));
    assert.equal(fetched.sha256, sha256Hex(bytes));
    assert.equal(fetched.byteLength, bytes.byteLength);
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(fetched.status, 200);
    assert.equal(fetched.contentType, 'application/pdf');
    assert.equal(fetched.finalUrl, report.pdfUrl);
    assert.equal(fetched.title, '甲县2021年政府信息公开工作年度报告');
    assert.equal(fetched.publishedAt, '2022-01-10');
    assert.ok(!Number.isNaN(Date.parse(fetched.fetchedAt)));
    const again = await fetchDocument(discovered(report.pdfUrl!), options);
    assert.equal(again.archivePath, fetched.archivePath, 'the same bytes land in the same file');
  });

  test('archives a multi-page article part by part, as one document whose hash covers every part', async () => {
    const report = demo.planted.find((candidate) => candidate.partUrls.length > 0)!;
    const article = { ...discovered(report.detailUrl, 'html'), partUrls: report.partUrls };
    const fetched = await fetchDocument(article, options);
    assert.deepEqual(
      fetched.parts?.map((part) => part.url),
      [report.detailUrl, ...report.partUrls],
    );
    const hashes = await Promise.all(fetched.parts!.map(async (part) => sha256Hex(await readFile(part.archivePath))));
    assert.deepEqual(
      hashes,
      fetched.parts!.map((part) => part.sha256),
    );
    assert.equal(fetched.sha256, partsSha256(hashes));
    assert.equal(fetched.archivePath, fetched.parts![0]!.archivePath);
    assert.equal(
      fetched.byteLength,
      fetched.parts!.reduce((sum, part) => sum + part.byteLength, 0),
    );
    const missingPart = `${report.detailUrl.replace(/\.html$/, '')}_9.html`;
    const error = await fetchError(fetchDocument({ ...article, partUrls: [...report.partUrls, missingPart] }, options));
    assert.deepEqual([error.code, error.retryable, error.url], ['HTTP_404', false, missingPart]);
    assert.match(error.message, /^part 3 of 3 of the article /);
  });

  test('follows the Hanweb downfile.jsp redirect to the attachment', async () => {
    const report = demo.planted.find((candidate) => candidate.portalId === 'huaian' && candidate.pdfUrl)!;
    const fetched = await fetchDocument(discovered(report.pdfUrl!), options);
    assert.match(report.pdfUrl!, /downfile\.jsp/);
    assert.notEqual(fetched.finalUrl, fetched.url);
    assert.match(new URL(fetched.finalUrl).pathname, /^\/attach\/0\/[0-9a-f]{32}\.pdf$/);
    assert.equal((await readFile(fetched.archivePath)).subarray(0, 5).toString('latin1'), '%PDF-');
  });
});

describe('fetchDocument on a small test server', () => {
  let server: TestServer;
  const big = Buffer.alloc(64 * 1024, 0x41);
  before(async () => {
    server = await startTestServer((request, response) => {
      const routes: Record<string, () => void> = {
        '/missing.pdf': () => reply(response, 404, 'not found'),
        '/removed.pdf': () => reply(response, 410, 'gone'),
        '/busy.pdf': () => reply(response, 503, 'busy'),
        '/slow-down.pdf': () => reply(response, 429, 'too many', { 'retry-after': '1' }),
        '/tagged.pdf': () =>
          reply(response, 200, '%PDF-1.4 tagged', {
            'content-type': 'application/pdf',
            etag: '"v1"',
            'last-modified': 'Mon, 10 Jan 2022 08:00:00 GMT',
          }),
        '/announced-big.pdf': () => reply(response, 200, big, { 'content-type': 'application/pdf' }),
        '/streamed-big.pdf': () => {
          response.writeHead(200, { 'content-type': 'application/pdf' });
          for (let part = 0; part < 8; part++) response.write(big.subarray(0, 8 * 1024));
          response.end();
        },
        '/challenge.pdf': () => reply(response, 200, '<html><script>document.cookie="__jsl_clearance=1";location.reload()</script></html>'),
        '/hang.pdf': () => response.flushHeaders(),
      };
      (routes[request.url ?? ''] ?? (() => reply(response, 404, 'no')))();
    });
  });
  after(async () => server.close());

  const url = (name: string) => `${server.origin}/${name}`;

  test('gives up on 404 and 410 but retries 503 and 429', async () => {
    const missing = await fetchError(fetchDocument(discovered(url('missing.pdf')), options));
    assert.deepEqual([missing.code, missing.retryable], ['HTTP_404', false]);
    const removed = await fetchError(fetchDocument(discovered(url('removed.pdf')), options));
    assert.deepEqual([removed.code, removed.retryable], ['HTTP_410', false]);
    const busy = await fetchError(fetchDocument(discovered(url('busy.pdf')), options));
    assert.deepEqual([busy.code, busy.retryable], ['HTTP_503', true]);
    const slow = await fetchError(fetchDocument(discovered(url('slow-down.pdf')), options));
    assert.deepEqual([slow.code, slow.retryable], ['HTTP_429', true]);
  });

  test('keeps ETag and Last-Modified, and sends the User-Agent and the page as Referer', async () => {
    const fetched = await fetchDocument(discovered(url('tagged.pdf')), options);
    assert.equal(fetched.etag, '"v1"');
    assert.equal(fetched.lastModified, 'Mon, 10 Jan 2022 08:00:00 GMT');
    const seen = server.seen.find((request) => request.path === '/tagged.pdf')!;
    assert.equal(seen.headers['user-agent'], options.userAgent);
    assert.equal(seen.headers.referer, `${server.origin}/nb/`);
  });

  test('refuses bodies over maxBodyBytes, announced or streamed, and archives nothing', async () => {
    const small = { ...options, maxBodyBytes: 32 * 1024 };
    const before = await readdir(rawDir);
    for (const name of ['announced-big.pdf', 'streamed-big.pdf']) {
      const error = await fetchError(fetchDocument(discovered(url(name)), small));
      assert.deepEqual([error.code, error.retryable], ['BODY_TOO_LARGE', false], name);
    }
    assert.deepEqual(await readdir(rawDir), before);
  });

  test('reports an anti-bot challenge served with 200 as retryable BLOCKED', async () => {
    const error = await fetchError(fetchDocument(discovered(url('challenge.pdf')), options));
    assert.deepEqual([error.code, error.retryable], ['BLOCKED', true]);
  });

  test('reports a server that never answers as retryable TIMEOUT', async () => {
    const error = await fetchError(fetchDocument(discovered(url('hang.pdf')), { ...options, requestTimeoutSecs: 1 }));
    assert.deepEqual([error.code, error.retryable], ['TIMEOUT', true]);
  });

  test('reports a refused connection as retryable CONNECTION_REFUSED', async () => {
    const closed = await startTestServer((_request, response) => reply(response, 200, ''));
    await closed.close();
    const error = await fetchError(fetchDocument(discovered(`${closed.origin}/x.pdf`), options));
    assert.deepEqual([error.code, error.retryable], ['CONNECTION_REFUSED', true]);
  });
});

describe('fetchDocument of an article whose report is scanned images', () => {
  let server: TestServer;
  let page: Buffer;
  let button: Buffer;
  before(async () => {
    const image = (width: number, height: number) =>
      sharp({ create: { width, height, channels: 3, background: '#f4f4f4' } })
        .jpeg()
        .toBuffer();
    [page, button] = await Promise.all([image(1240, 900), image(160, 48)]);
    const huge = Buffer.alloc(options.maxBodyBytes + 1, 0xff);
    server = await startTestServer((request, response) => {
      const routes: Record<string, () => void> = {
        '/nb/t1.html': () => reply(response, 200, '<html><body><img src="W1.jpg"></body></html>', { 'content-type': 'text/html' }),
        '/nb/W1.jpg': () => reply(response, 200, page, { 'content-type': 'image/jpeg' }),
        '/nb/share.jpg': () => reply(response, 200, button, { 'content-type': 'image/jpeg' }),
        '/nb/huge.jpg': () => reply(response, 200, huge, { 'content-type': 'image/jpeg' }),
      };
      (routes[request.url ?? ''] ?? (() => reply(response, 404, 'no')))();
    });
  });
  after(async () => server.close());

  const article = (parts: string[]) => ({
    ...discovered(`${server.origin}/nb/t1.html`, 'html'),
    partUrls: parts.map((name) => `${server.origin}/nb/${name}`),
  });

  test('keeps the scanned pages as parts and leaves out an image too small to hold a table', async () => {
    const fetched = await fetchDocument(article(['W1.jpg', 'share.jpg']), options);
    assert.deepEqual(
      fetched.parts?.map((part) => [new URL(part.url).pathname, part.contentType]),
      [
        ['/nb/t1.html', 'text/html'],
        ['/nb/W1.jpg', 'image/jpeg'],
      ],
    );
    assert.equal(fetched.sha256, partsSha256(fetched.parts!.map((part) => part.sha256)));
    assert.ok(!(await readdir(rawDir)).includes(sha256Hex(button)), 'the small image is not archived');
    const alone = await fetchDocument(article(['share.jpg']), options);
    assert.equal(alone.parts, undefined, 'with only decoration left out, the article is a single page');
  });

  test('an image part over the byte cap fails the document, naming the part', async () => {
    const error = await fetchError(fetchDocument(article(['W1.jpg', 'huge.jpg']), options));
    assert.equal(error.code, 'BODY_TOO_LARGE');
    assert.match(error.message, /^part 3 of 3 of the article .*huge\.jpg is larger than the \d+-byte limit/);
  });
});
