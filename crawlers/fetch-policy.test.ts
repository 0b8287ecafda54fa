/**
 * The fetch stage under the network policy (issue #14): a report link that redirects elsewhere is refused and
 * nothing is archived; internal addresses, credentials and bombs fail for good with their own codes.
 * 127.0.0.2 stands for an internal address.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FetchError } from './errors.ts';
import { fetchDocument, type FetchOptions } from './fetch-document.ts';
import { gzipBomb } from './hostile-answers.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { DiscoveredDocument } from './types.ts';

const PDF = Buffer.from('%PDF-1.4\n% a report\n%%EOF\n');

function discovered(url: string, foundOn = new URL('/nb/', url).href): DiscoveredDocument {
  return { sourceId: 'test', url, title: '甲县2024年政府信息公开工作年度报告', kindHint: 'pdf', foundOn, publishedAt: '2025-01-10' };
}

async function fetchError(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof FetchError, `expected a FetchError, got ${String(error)}`);
  return error;
}

describe('fetchDocument under the network policy', () => {
  let rawDir: string;
  let options: FetchOptions;
  let site: TestServer;
  let elsewhere: TestServer;
  let inside: TestServer;
  before(async () => {
    rawDir = await mkdtemp(path.join(tmpdir(), 'yangguang-fetch-policy-'));
    options = {
      rawDir,
      userAgent: 'yangguang-test/1.0',
      requestTimeoutSecs: 5,
      maxBodyBytes: 1024 * 1024,
      allowPrivateNetworks: false,
      allowedPrivateAddresses: ['127.0.0.1'],
    };
    inside = await startTestServer((_request, response) => reply(response, 200, PDF, { 'content-type': 'application/pdf' }), {
      host: '127.0.0.2',
    });
    elsewhere = await startTestServer((_request, response) => reply(response, 200, PDF, { 'content-type': 'application/pdf' }));
    site = await startTestServer((request, response) => {
      if (request.url === '/nb/away.pdf') return reply(response, 302, '', { location: `${elsewhere.origin}/report.pdf` });
      if (request.url === '/nb/inward.pdf') return reply(response, 302, '', { location: `${inside.origin}/report.pdf` });
      if (request.url === '/nb/moved.pdf') return reply(response, 301, '', { location: '/files/report.pdf' });
      if (request.url === '/files/report.pdf') return reply(response, 200, PDF, { 'content-type': 'application/pdf' });
      if (request.url === '/nb/bomb.pdf') return void gzipBomb(response, 256 * 1024);
      reply(response, 404, 'not found');
    });
  });
  after(async () => {
    await Promise.all([site.close(), elsewhere.close(), inside.close()]);
    await rm(rawDir, { recursive: true, force: true });
  });

  test('a report link redirecting to another host is REDIRECT_OFF_SITE: not followed, nothing archived', async () => {
    const error = await fetchError(fetchDocument(discovered(`${site.origin}/nb/away.pdf`), options));
    assert.deepEqual([error.code, error.retryable], ['REDIRECT_OFF_SITE', false]);
    assert.ok(error.message.includes(`${site.origin}/nb/away.pdf redirects to ${elsewhere.origin}/report.pdf`), error.message);
    assert.equal(elsewhere.seen.length, 0);
    assert.deepEqual(await readdir(rawDir), []);
  });

  test('a redirect on the same host is followed, and the final URL kept', async () => {
    const fetched = await fetchDocument(discovered(`${site.origin}/nb/moved.pdf`), options);
    assert.equal(fetched.finalUrl, `${site.origin}/files/report.pdf`);
    assert.equal(fetched.byteLength, PDF.byteLength);
  });

  test('a document on 127.0.0.2 is ADDRESS_REFUSED, permanent, and no request reaches it', async () => {
    const error = await fetchError(fetchDocument(discovered(`${inside.origin}/report.pdf`), options));
    assert.deepEqual([error.code, error.retryable], ['ADDRESS_REFUSED', false]);
    assert.equal(inside.seen.length, 0);
  });

  test('a redirect to 127.0.0.2 from an allowed page of the same host list is refused at the connection', async () => {
    const error = await fetchError(fetchDocument(discovered(`${site.origin}/nb/inward.pdf`, `${inside.origin}/nb/`), options));
    assert.deepEqual([error.code, error.retryable], ['ADDRESS_REFUSED', false]);
    assert.equal(inside.seen.length, 0);
  });

  test('the same document is fetched when private networks are allowed', async () => {
    const fetched = await fetchDocument(discovered(`${inside.origin}/report.pdf`), { ...options, allowPrivateNetworks: true });
    assert.equal(fetched.byteLength, PDF.byteLength);
  });

  test('a URL with credentials is INVALID_URL, not a retryable network error', async () => {
    const host = new URL(site.origin).host;
    const error = await fetchError(fetchDocument(discovered(`http://user:secret@${host}/files/report.pdf`), options));
    assert.deepEqual([error.code, error.retryable], ['INVALID_URL', false]);
    assert.match(error.message, /credentials/);
  });

  test('a gzip bomb fails as BODY_TOO_LARGE: the cap counts decompressed bytes', async () => {
    const error = await fetchError(fetchDocument(discovered(`${site.origin}/nb/bomb.pdf`), options));
    assert.deepEqual([error.code, error.retryable], ['BODY_TOO_LARGE', false]);
  });
});
