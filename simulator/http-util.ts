/** Small helpers for the plain node:http servers of the demo portals. */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>;

/** What a handler answers: a status, a content type and a body (or a redirect location). */
export interface Reply {
  status: number;
  contentType?: string;
  body?: string | Uint8Array;
  location?: string;
  /** Extra headers, e.g. Retry-After. */
  headers?: Record<string, string>;
  /** Drop the connection without answering (a reset). */
  reset?: boolean;
  /** Wait this long before answering, in milliseconds (a slow server). */
  delayMs?: number;
}

/** One request a simulated server answered, for tests that count what a crawler asked for. */
export interface ServedRequest {
  method: string;
  /** Absolute URL: the server's origin, path and query. */
  url: string;
  /** The status sent: 304 when the request's validators matched. */
  status: number;
  /** The request carried If-None-Match or If-Modified-Since. */
  conditional: boolean;
}

/** Called once per answered request (not for resets). */
export type RequestObserver = (served: ServedRequest) => void;

/** Every page of the simulator claims this modification date, so conditional requests get a 304. */
const LAST_MODIFIED = 'Mon, 15 Jan 2024 08:00:00 GMT';

/** A strong validator of a body. */
function etagOf(body: string | Uint8Array): string {
  return `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`;
}

/** Adds ETag and Last-Modified to a 200 answer; true when the request's validators match (answer 304). */
function validate(request: IncomingMessage, reply: Reply, headers: Record<string, string>): boolean {
  if (reply.status !== 200 || reply.body === undefined) return false;
  headers.etag = etagOf(reply.body);
  headers['last-modified'] = LAST_MODIFIED;
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch) return ifNoneMatch.split(',').some((tag) => tag.trim() === headers.etag);
  return request.headers['if-modified-since'] === LAST_MODIFIED;
}

export const html = (body: string): Reply => ({ status: 200, contentType: 'text/html; charset=utf-8', body });
export const notFound = (): Reply => ({ status: 404, contentType: 'text/html; charset=utf-8', body: '<h1>404 页面不存在</h1>' });

/** Escapes text for an HTML attribute or text node. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A title cut the way list pages cut them: the anchor shows at most `max` characters, then an ellipsis. */
export function truncateTitle(title: string, max = 16): string {
  return title.length > max ? `${title.slice(0, max)}…` : title;
}

/** Starts a server on a free port of `host`; resolves to its origin and a close function. `observe` sees every answer. */
export async function listen(
  host: string,
  handler: Handler,
  observe?: RequestObserver,
): Promise<{ origin: string; close(): Promise<void> }> {
  let origin = '';
  const report = (request: IncomingMessage, status: number) =>
    observe?.({
      method: request.method ?? 'GET',
      url: origin + (request.url ?? '/'),
      status,
      conditional: request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined,
    });
  const server: Server = createServer((request, response) => void respond(handler, request, response, report));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host}:${port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(
  handler: Handler,
  request: IncomingMessage,
  response: ServerResponse,
  report: (request: IncomingMessage, status: number) => void,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const reply = await handler(request, url, Buffer.concat(chunks).toString('utf8'));
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (reply.reset) return void request.socket.destroy();
    const headers: Record<string, string> = { ...reply.headers };
    if (reply.contentType) headers['content-type'] = reply.contentType;
    if (reply.location) headers.location = reply.location;
    if (validate(request, reply, headers)) {
      response.writeHead(304, { etag: headers.etag!, 'last-modified': headers['last-modified']! });
      report(request, 304);
      return void response.end();
    }
    response.writeHead(reply.status, headers);
    report(request, reply.status);
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    report(request, 500);
    response.end(String(error));
  }
}

/** Splits items into pages of `size`. */
export function pages<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result.length > 0 ? result : [[]];
}
