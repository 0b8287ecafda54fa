/**
 * One simulated host (one port of 127.0.0.1): a route table of page renderers filled after the server listens,
 * so pages can link to other hosts' origins. Every host shares one request handler, answerRequest.
 */
import type { IncomingMessage } from 'node:http';
import iconv from 'iconv-lite';
import { html, notFound, type Reply } from '../http-util.ts';
import { hashText } from './plan-portals.ts';

/** Renders one page on request (pages are generated, never stored). */
export type Route = (request: IncomingMessage, url: URL, body: string) => Reply;

export interface SiteHost {
  /** e.g. `gov-620721`, `gov-620721/xxgk`, `gov-620721/new` (a moved portal's new host). */
  key: string;
  origin: string;
  /** By path, or by path and query for ASP.NET-style pages. */
  routes: Map<string, Route>;
  /** Answers before the routes: a redirect to a new host, or an anti-bot challenge. */
  guard: ((request: IncomingMessage, url: URL) => Reply | null) | null;
  /** Next number for column and document ids on this host. */
  nextId: number;
  /** `gbk`: HTML sent as GBK bytes declared only by `<meta charset="gb2312">` (PORTALS.md §3), as many portals do. */
  charset: 'utf-8' | 'gbk';
  /** Unknown paths answer 200 with a 页面不存在 page (a soft 404) instead of 404. */
  softNotFound: boolean;
}

export function createHost(key: string, origin: string): SiteHost {
  return { key, origin, routes: new Map(), guard: null, nextId: 1000 + (hashText(key) % 8000) * 10, charset: 'utf-8', softNotFound: false };
}

/** A fresh id, unique on the host. */
export function allocateId(host: SiteHost): number {
  return host.nextId++;
}

/** A UUID-shaped id derived from a text (Hebei and Jiangsu platforms put these in URLs). */
export function uuidFrom(text: string): string {
  const hex = [0, 1, 2, 3].map((part) => hashText(`${part}:${text}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Registers `route` under each path. */
export function addRoute(host: SiteHost, paths: string[], route: Route): void {
  for (const path of paths) host.routes.set(path, route);
}

const SOFT_NOT_FOUND =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head><body><div class="err">对不起，您访问的页面不存在或已被删除！</div><a href="/">返回首页</a></body></html>';

/** The page re-encoded as GBK under a gb2312 meta, with no charset in Content-Type. */
function asGbk(reply: Reply): Reply {
  if (typeof reply.body !== 'string' || !reply.contentType?.startsWith('text/html')) return reply;
  const text = reply.body.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">');
  return { ...reply, contentType: 'text/html', body: iconv.encode(text, 'gbk') };
}

/** The shared handler: guard, then the route for path+query or path, else a (soft) 404; `delayMs` on every answer. */
export function answerRequest(host: SiteHost, request: IncomingMessage, url: URL, body: string, delayMs: number): Reply {
  const route = host.routes.get(url.pathname + url.search) ?? host.routes.get(url.pathname);
  const missing = () => (host.softNotFound ? html(SOFT_NOT_FOUND) : notFound());
  let reply = host.guard?.(request, url) ?? (route ? route(request, url, body) : missing());
  if (host.charset === 'gbk') reply = asGbk(reply);
  return delayMs > 0 ? { ...reply, delayMs } : reply;
}
