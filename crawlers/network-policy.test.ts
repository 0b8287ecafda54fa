import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fetch } from 'undici';
import { AddressRefusedError, fetchFollowing, policyDispatcher, RedirectOffSiteError, permits, sameSiteAs } from './network-policy.ts';
import { permanentCause } from './errors.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';

// 127.0.0.2 stands for an address inside the network: refused unless the policy allows private networks.
describe('the network policy on real connections', () => {
  let outside: TestServer;
  let inside: TestServer;
  before(async () => {
    outside = await startTestServer((request, response) => {
      if (request.url === '/to-inside') return reply(response, 302, '', { location: `${inside.origin}/secret` });
      if (request.url === '/hop') return reply(response, 302, '', { location: '/page' });
      if (request.url === '/to-file') return reply(response, 302, '', { location: 'file:///etc/passwd' });
      reply(response, 200, 'public page');
    });
    inside = await startTestServer((_request, response) => reply(response, 200, 'internal secret'), { host: '127.0.0.2' });
  });
  after(async () => Promise.all([outside.close(), inside.close()]));

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    return permanentCause(error);
  };

  test('refuses 127.0.0.2 when private networks are not allowed, and never connects to it', async () => {
    const error = await refusal(fetch(`${inside.origin}/secret`, { dispatcher: policyDispatcher({ allowPrivateNetworks: false }) }));
    assert.ok(error instanceof AddressRefusedError);
    assert.equal(error.code, 'ADDRESS_REFUSED');
    assert.match(error.message, /127\.0\.0\.2 is a loopback address/);
    assert.equal(inside.seen.length, 0);
  });

  test('reaches 127.0.0.2 when private networks are allowed', async () => {
    const response = await fetch(`${inside.origin}/secret`, { dispatcher: policyDispatcher({ allowPrivateNetworks: true }) });
    assert.equal(await response.text(), 'internal secret');
  });

  test('checks the addresses a name resolves to (localhost is loopback)', async () => {
    const port = new URL(outside.origin).port;
    const error = await refusal(fetch(`http://localhost:${port}/`, { dispatcher: policyDispatcher({ allowPrivateNetworks: false }) }));
    assert.ok(error instanceof AddressRefusedError);
    assert.match(error.message, /localhost resolves to (127\.0\.0\.1|::1)/);
  });

  test('an allowed single address opens that one only', async () => {
    const dispatcher = policyDispatcher({ allowPrivateNetworks: false, allowedPrivateAddresses: ['127.0.0.1'] });
    assert.equal(await (await fetch(`${outside.origin}/`, { dispatcher })).text(), 'public page');
    assert.ok((await refusal(fetch(`${inside.origin}/secret`, { dispatcher }))) instanceof AddressRefusedError);
  });

  test('checks every redirect hop: a redirect to 127.0.0.2 is refused at the connection', async () => {
    const before = inside.seen.length;
    const dispatcher = policyDispatcher({ allowPrivateNetworks: false, allowedPrivateAddresses: ['127.0.0.1'] });
    const error = await refusal(fetchFollowing(`${outside.origin}/to-inside`, { dispatcher }, () => true));
    assert.ok(error instanceof AddressRefusedError);
    assert.equal(inside.seen.length, before);
  });

  test('a redirect off the allowed hosts is not followed: both URLs are named', async () => {
    const before = inside.seen.length;
    const dispatcher = policyDispatcher({ allowPrivateNetworks: true });
    const error = await refusal(fetchFollowing(`${outside.origin}/to-inside`, { dispatcher }, sameSiteAs([new URL(outside.origin).host])));
    assert.ok(error instanceof RedirectOffSiteError);
    assert.equal(error.from, `${outside.origin}/to-inside`);
    assert.equal(error.to, `${inside.origin}/secret`);
    assert.equal(inside.seen.length, before);
  });

  test('a redirect on the same host is followed and the final URL reported', async () => {
    const { response, finalUrl } = await fetchFollowing(
      `${outside.origin}/hop`,
      { dispatcher: policyDispatcher({ allowPrivateNetworks: true }) },
      sameSiteAs([new URL(outside.origin).host]),
    );
    assert.equal(finalUrl, `${outside.origin}/page`);
    assert.equal(await response.text(), 'public page');
  });

  test('a redirect to a file: URL is refused', async () => {
    const error = await refusal(
      fetchFollowing(`${outside.origin}/to-file`, { dispatcher: policyDispatcher({ allowPrivateNetworks: true }) }, () => true),
    );
    assert.ok(error instanceof RedirectOffSiteError);
  });

  test('a silent connection fails at the idle timeout', async () => {
    const silent = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html>'); // and nothing more
    });
    try {
      const response = await fetch(`${silent.origin}/`, {
        dispatcher: policyDispatcher({ allowPrivateNetworks: true, idleTimeoutSecs: 0.5 }),
      });
      await assert.rejects(response.text(), (error: Error) =>
        /UND_ERR_BODY_TIMEOUT|timeout/i.test(
          `${error.message} ${(error.cause as Error | undefined)?.message ?? ''} ${(error as { code?: string }).code ?? ''}`,
        ),
      );
    } finally {
      await silent.close();
    }
  });
});

describe('address checks without a connection', () => {
  test('the policy permits public addresses, private ones with the allowance, and single allowed ones in any spelling', () => {
    const closed = { allowPrivateNetworks: false };
    assert.deepEqual(
      ['169.254.169.254', '::ffff:10.0.0.1', '127.0.0.1', '8.8.8.8'].map((address) => permits(closed, address)),
      [false, false, false, true],
    );
    assert.equal(permits({ allowPrivateNetworks: true }, '127.0.0.2'), true);
    const oneAllowed = { allowPrivateNetworks: false, allowedPrivateAddresses: ['127.0.0.1'] };
    assert.deepEqual(
      ['127.0.0.1', '::ffff:127.0.0.1', '127.0.0.2'].map((address) => permits(oneAllowed, address)),
      [true, true, false],
    );
  });

  test('same site: the listed hosts and their registered domains, nothing else', () => {
    const allowed = sameSiteAs(['www.demo-xian.gov.cn', '127.0.0.1:8080']);
    assert.equal(allowed(new URL('http://www.demo-xian.gov.cn/a')), true);
    assert.equal(allowed(new URL('https://xxgk.demo-xian.gov.cn/b')), true);
    assert.equal(allowed(new URL('http://demo-xian.gov.cn/')), true);
    assert.equal(allowed(new URL('http://other-xian.gov.cn/')), false);
    assert.equal(allowed(new URL('http://gov.cn/')), false);
    assert.equal(allowed(new URL('http://evil.example.com/www.demo-xian.gov.cn')), false);
    assert.equal(allowed(new URL('http://127.0.0.1:8080/x')), true);
    assert.equal(allowed(new URL('http://127.0.0.1:8081/x')), false);
    assert.equal(allowed(new URL('http://127.0.0.2:8080/x')), false);
  });
});
