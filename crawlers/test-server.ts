/** A tiny node:http(s) server on 127.0.0.1 for the crawler tests: one handler, its origin, the requests it saw. */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  origin: string;
  /** Every request received: method, path with query, headers. */
  seen: { method: string; path: string; headers: IncomingMessage['headers'] }[];
  close(): Promise<void>;
}

/** A certificate for 127.0.0.1 that no one signed, like the ones some county portals serve. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const file = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  return { key: file('self-signed.key'), cert: file('self-signed.crt') };
}

/**
 * Starts a server on a free port of 127.0.0.1 (or `host`: 127.0.0.2 stands for an internal address) answering with
 * `handler`; `https` serves a self-signed certificate.
 */
export async function startTestServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  { https = false, host = '127.0.0.1' }: { https?: boolean; host?: string } = {},
): Promise<TestServer> {
  const seen: TestServer['seen'] = [];
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    seen.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: request.headers });
    handler(request, response);
  };
  const server = https ? createTlsServer(selfSignedCertificate(), listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${https ? 'https' : 'http'}://${host}:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers a status, headers and body. */
export function reply(response: ServerResponse, status: number, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(body);
}
