/**
 * Failure reasons name the network cause — connection refused, DNS, timeout, TLS — in the plain crawler, the browser
 * crawler and the fetch stage, against real sockets on 127.0.0.1 (a closed port, a server that never answers, a
 * plain-TCP server spoken to in TLS).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crawlSource } from './crawl-source.ts';
import { CrawlError, FetchError, describeNetworkFailure, networkErrorCode } from './errors.ts';
import { fetchDocument, type FetchOptions } from './fetch-document.ts';
import type { CrawlOptions } from './page-crawler.ts';
import type { Source } from './types.ts';

/** A port on 127.0.0.1 that was just listened on and closed: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server on 127.0.0.1 that answers every connection with `answer` (or nothing) and keeps it open. */
async function rawServer(answer: string | null): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (answer !== null) socket.write(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// The sockets are on 127.0.0.1, which the network policy refuses unless private networks are allowed.
const crawlOptions: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 5,
  requestTimeoutSecs: 2,
  concurrency: 1,
  allowPrivateNetworks: true,
};
const source = (origin: string, crawler?: Source['crawler']): Source => ({
  id: 'closed',
  name: '丙县',
  startUrls: [`${origin}/nb/index.html`],
  allowedHosts: [new URL(origin).host],
  ...(crawler ? { crawler } : {}),
});

async function crawlFailure(run: Promise<unknown>): Promise<CrawlError> {
  try {
    await run;
  } catch (error) {
    assert.ok(error instanceof CrawlError, String(error));
    return error;
  }
  assert.fail('the crawl should have failed');
}

describe('a portal whose port is closed', () => {
  let origin: string;
  let rawDir: string;
  let fetchOptions: FetchOptions;
  before(async () => {
    origin = `http://127.0.0.1:${await closedPort()}`;
    rawDir = await mkdtemp(path.join(tmpdir(), 'yangguang-errors-'));
    fetchOptions = {
      rawDir,
      userAgent: 'yangguang-test/1.0',
      requestTimeoutSecs: 2,
      maxBodyBytes: 1024 * 1024,
      allowPrivateNetworks: true,
    };
  });
  after(() => rm(rawDir, { recursive: true, force: true }));

  test('fails the plain crawl as CONNECTION_REFUSED, saying so, to be retried', async () => {
    const error = await crawlFailure(crawlSource(source(origin), crawlOptions));
    assert.deepEqual([error.code, error.retryable], ['CONNECTION_REFUSED', true]);
    assert.match(error.message, /failed: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): nothing listens there/);
  });

  test('fails the browser crawl as CONNECTION_REFUSED, not as a session error', { timeout: 120_000 }, async () => {
    const error = await crawlFailure(crawlSource(source(origin, 'playwright'), crawlOptions));
    assert.deepEqual([error.code, error.retryable], ['CONNECTION_REFUSED', true]);
    assert.match(error.message, /connection refused \([^)]*ERR_CONNECTION_REFUSED/);
    assert.doesNotMatch(error.message, /session error/);
  });

  test('fails the fetch as CONNECTION_REFUSED with the address it tried', async () => {
    const document = {
      sourceId: 'closed',
      url: `${origin}/report.pdf`,
      title: '丙县2024年政府信息公开工作年度报告',
      kindHint: 'pdf',
      foundOn: origin,
      publishedAt: null,
    } as const;
    await assert.rejects(fetchDocument(document, fetchOptions), (error: unknown) => {
      assert.ok(error instanceof FetchError);
      assert.deepEqual([error.code, error.retryable], ['CONNECTION_REFUSED', true]);
      assert.match(
        error.message,
        new RegExp(`fetching ${origin}/report\\.pdf failed: connection refused \\(connect ECONNREFUSED 127\\.0\\.0\\.1:`),
      );
      return true;
    });
  });
});

test('a TLS request to a server that does not speak TLS is a TLS_HANDSHAKE failure', async () => {
  const server = await rawServer('HTTP/1.1 400 Bad Request\r\n\r\n');
  try {
    const error = await fetch(`https://127.0.0.1:${server.port}/`).catch((failure: unknown) => failure);
    const failure = describeNetworkFailure(error);
    assert.equal(failure?.code, 'TLS_HANDSHAKE');
    assert.match(failure!.reason, /^TLS handshake failed \(.+\)$/);
  } finally {
    await server.close();
  }
});

test('a server that accepts the connection and never answers is a TIMEOUT in the crawl', async () => {
  const server = await rawServer(null);
  try {
    const error = await crawlFailure(crawlSource(source(`http://127.0.0.1:${server.port}`), { ...crawlOptions, requestTimeoutSecs: 1 }));
    assert.deepEqual([error.code, error.retryable], ['TIMEOUT', true]);
    assert.match(error.message, /timed out/);
  } finally {
    await server.close();
  }
});

test('the cause is found below wrappers: undici, Crawlee session errors, happy-eyeballs aggregates, chromium', () => {
  const errno = (code: string, message: string) => Object.assign(new Error(message), { code });
  const cases: Array<[unknown, string | null]> = [
    [new TypeError('fetch failed', { cause: errno('ENOTFOUND', 'getaddrinfo ENOTFOUND www.gov.invalid') }), 'DNS_FAILURE'],
    [new TypeError('fetch failed', { cause: errno('EAI_AGAIN', 'getaddrinfo EAI_AGAIN www.gov.cn') }), 'DNS_FAILURE'],
    [new TypeError('fetch failed', { cause: errno('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error') }), 'TIMEOUT'],
    [new TypeError('fetch failed', { cause: errno('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error') }), 'TIMEOUT'],
    [new TypeError('fetch failed', { cause: errno('CERT_HAS_EXPIRED', 'certificate has expired') }), 'TLS_CERTIFICATE'],
    [
      new TypeError('fetch failed', {
        cause: new AggregateError([
          errno('ECONNREFUSED', 'connect ECONNREFUSED ::1:80'),
          errno('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:80'),
        ]),
      }),
      'CONNECTION_REFUSED',
    ],
    [new Error('Detected a session error, rotating session... \nrequest failed: read ECONNRESET'), 'CONNECTION_RESET'],
    [new Error('page.goto: net::ERR_NAME_NOT_RESOLVED at https://www.gov.invalid/'), 'DNS_FAILURE'],
    [new Error('page.goto: net::ERR_CERT_AUTHORITY_INVALID at https://www.gov.invalid/'), 'TLS_CERTIFICATE'],
    [errno('EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.1:80'), 'HOST_UNREACHABLE'],
    [new Error('Unexpected token < in JSON'), null],
  ];
  assert.deepEqual(
    cases.map(([error]) => networkErrorCode(error)),
    cases.map(([, code]) => code),
  );
  assert.equal(describeNetworkFailure(cases[4]![0])?.retryable, false, 'an untrusted certificate is not retried');
});
