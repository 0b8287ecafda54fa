import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import iconv from 'iconv-lite';
import { describeNetworkFailure } from '../errors.ts';
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

/** The PageUnreachableError fetching `url` fails with. */
async function unreachable(url: string): Promise<PageUnreachableError> {
  const failure = await fetchPage(url, options).then(
    () => null,
    (error: unknown) => error,
  );
  assert.ok(failure instanceof PageUnreachableError, `expected PageUnreachableError, got ${String(failure)}`);
  return failure;
}

test('names a closed port as the crawl names it: connection refused, with the address', async () => {
  const closed = await startTestServer((_request, response) => reply(response, 200, ''));
  await closed.close();
  const failure = await unreachable(`${closed.origin}/`);
  assert.equal(failure.code, 'CONNECTION_REFUSED');
  assert.equal(failure.reason, describeNetworkFailure(failure.cause)?.reason);
  assert.match(
    failure.reason,
    /^connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): nothing listens there, or a firewall refuses it$/,
  );
});

test('names a server that drops every connection as the crawl names it: connection reset', async () => {
  const dropper = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
  try {
    const failure = await unreachable(`http://127.0.0.1:${(dropper.address() as AddressInfo).port}/`);
    assert.equal(failure.code, 'CONNECTION_RESET');
    assert.equal(failure.reason, describeNetworkFailure(failure.cause)?.reason);
    assert.match(failure.reason, /^connection reset .*: the server closed it mid-answer$/);
  } finally {
    await new Promise((resolve) => dropper.close(resolve));
  }
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
