/** Small helpers for the plain node:http servers of the demo portals. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, url: URL, body: string) => Reply | Promise<Reply>;

/** What a handler answers: a status, a content type and a body (or a redirect location). */
export interface Reply {
  status: number;
  contentType?: string;
  body?: string | Uint8Array;
  location?: string;
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

/** Starts a server on a free port of `host`; resolves to its origin and a close function. */
export async function listen(host: string, handler: Handler): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => void respond(handler, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function respond(handler: Handler, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const reply = await handler(request, url, Buffer.concat(chunks).toString('utf8'));
    const headers: Record<string, string> = {};
    if (reply.contentType) headers['content-type'] = reply.contentType;
    if (reply.location) headers.location = reply.location;
    response.writeHead(reply.status, headers);
    response.end(request.method === 'HEAD' ? undefined : reply.body);
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(String(error));
  }
}

/** Splits items into pages of `size`. */
export function pages<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result.length > 0 ? result : [[]];
}
