import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import iconv from 'iconv-lite';
import { reply, startTestServer, type TestServer } from '../test-server.ts';
import { fetchPage, PageUnreachableError } from './fetch-page.ts';

let server: TestServer;
const options = { userAgent: 'yangguang-test/1.0', timeoutMs: 2000, allowPrivateNetworks: true };

before(async () => {
  server = await startTestServer((request, response) => {
    const url = request.url ?? '/';
    const hop = /^\/hop\/(\d+)$/.exec(url);
    if (hop) return reply(response, 302, '', { location: `/hop/${Number(hop[1]) + 1}` });
    if (url === '/gbk')
      return reply(response, 200, iconv.encode('<html><head><meta charset="gb2312"></head><body>政府信息公开年报</body></html>', 'gbk'), {
        'content-type': 'text/html',
      });
    if (url === '/forward')
      return reply(response, 200, '<html><head><meta http-equiv="refresh" content="0;url=/home/index.html"></head></html>');
    if (url === '/big') return reply(response, 200, `<html><body>${'x'.repeat(200_000)}</body></html>`);
    if (url === '/slow') return void setTimeout(() => reply(response, 200, 'late'), 1500);
    reply(response, 200, `<html><body>page ${url}</body></html>`);
  });
});
after(() => server.close());

test('follows redirects by hand, recording each hop, and stops after five', async () => {
  const page = await fetchPage(`${server.origin}/hop/0`, options);
  assert.equal(page.redirects.length, 5);
  assert.equal(page.finalUrl, `${server.origin}/hop/5`);
  assert.equal(page.status, 302);
});

test('follows a meta-refresh forwarder as a redirect', async () => {
  const page = await fetchPage(`${server.origin}/forward`, options);
  assert.equal(page.finalUrl, `${server.origin}/home/index.html`);
  assert.match(page.html, /page \/home\/index\.html/);
});

test('decodes a GBK page that names its charset only in a meta', async () => {
  const page = await fetchPage(`${server.origin}/gbk`, options);
  assert.match(page.html, /政府信息公开年报/);
});

test('cuts a long body at the byte cap instead of failing', async () => {
  const page = await fetchPage(`${server.origin}/big`, { ...options, maxBodyBytes: 10_000 });
  assert.ok(page.html.length <= 10_000);
  assert.equal(page.status, 200);
});

test('names the cause when no answer comes: a timeout', async () => {
  await assert.rejects(
    fetchPage(`${server.origin}/slow`, { ...options, timeoutMs: 200 }),
    (error: unknown) => error instanceof PageUnreachableError && error.code === 'TIMEOUT',
  );
});

test('discovery is under the network policy: 127.0.0.2, and a redirect hop to it, are ADDRESS_REFUSED without a request', async () => {
  const inside = await startTestServer((_request, response) => reply(response, 200, 'internal'), { host: '127.0.0.2' });
  const forwarder = await startTestServer((_request, response) => reply(response, 302, '', { location: `${inside.origin}/` }));
  try {
    const policy = { ...options, allowPrivateNetworks: false, allowedPrivateAddresses: ['127.0.0.1'] };
    const refusedWith = (error: unknown) => error instanceof PageUnreachableError && error.code === 'ADDRESS_REFUSED';
    await assert.rejects(fetchPage(`${inside.origin}/`, policy), refusedWith);
    await assert.rejects(fetchPage(`${forwarder.origin}/`, policy), refusedWith);
    assert.equal(inside.seen.length, 0);
  } finally {
    await Promise.all([inside.close(), forwarder.close()]);
  }
});

test('discovery does not follow a forward to a file: URL', async () => {
  const forwarder = await startTestServer((_request, response) =>
    reply(response, 200, '<html><head><meta http-equiv="refresh" content="0;url=file:///etc/passwd"></head></html>'),
  );
  try {
    const page = await fetchPage(`${forwarder.origin}/`, options);
    assert.deepEqual([page.finalUrl, page.redirects], [`${forwarder.origin}/`, []]);
  } finally {
    await forwarder.close();
  }
});
