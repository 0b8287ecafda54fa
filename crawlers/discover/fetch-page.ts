/**
 * One discovery request: GET with a timeout and a byte cap, redirects followed by hand (at most 5 hops, meta-refresh
 * and location-script forwarders included) so that a move to another host is seen, the body decoded (GBK portals
 * declare their charset only in a <meta>, or wrongly). A long page is cut at the cap, not refused: its links are read.
 */
import { Agent, fetch, type Dispatcher } from 'undici';
import { decodeHtml } from '../../shared/charset.ts';
import { isCertificateError, networkErrorCode } from '../errors.ts';
import { forwardTarget } from './read-page.ts';

export interface FetchPageOptions {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Timeout of one request, body included, in milliseconds. */
  timeoutMs: number;
  /** Most bytes read of a body; the rest is dropped. Default 5 MB. */
  maxBodyBytes?: number;
}

export interface FetchedPage {
  /** The URL the page was finally served from, after redirects. */
  finalUrl: string;
  status: number;
  html: string;
  /** Every URL redirected to, in order (empty without redirects). */
  redirects: string[];
  /** Set when the host's certificate was not trusted and the page was read without verifying it. */
  unverifiedTls: boolean;
}

/** A request that got no HTTP answer: refused, unknown host, timeout, TLS failure. */
export class PageUnreachableError extends Error {
  /** ENOTFOUND, ECONNREFUSED, TIMEOUT, ECONNRESET… as Node or undici named it. */
  readonly code: string;

  constructor(url: string, code: string, cause: unknown) {
    super(`${url}: ${code}`, { cause });
    this.name = 'PageUnreachableError';
    this.code = code;
  }
}

const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Portals with broken certificates are common (PORTALS.md §3); discovery only reads public pages, so it reads them anyway. */
let unverifiedAgent: Agent | undefined;
function unverified(): Dispatcher {
  unverifiedAgent ??= new Agent({ connect: { rejectUnauthorized: false } });
  return unverifiedAgent;
}

/** The most telling code of a failed request: the socket's errno (ENOTFOUND…) or TIMEOUT. */
export function unreachableCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } } | null)?.cause;
  const code = [cause?.code, cause?.cause?.code, (error as { code?: unknown } | null)?.code].find((value) => typeof value === 'string');
  if (networkErrorCode(error) === 'TIMEOUT' || (error instanceof Error && /abort|timeout/i.test(error.name))) return 'TIMEOUT';
  return typeof code === 'string' ? code : networkErrorCode(error) ?? 'NETWORK';
}

async function readCapped(body: AsyncIterable<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of body ?? []) {
    chunks.push(chunk);
    received += chunk.byteLength;
    if (received >= maxBytes) break; // leaving the loop cancels the rest of the stream
  }
  return Buffer.concat(chunks).subarray(0, maxBytes);
}

interface Hop {
  status: number;
  location: string | null;
  html: string;
}

async function requestOnce(url: string, options: FetchPageOptions, dispatcher: Dispatcher | undefined): Promise<Hop> {
  const response = await fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs),
    headers: { 'user-agent': options.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    ...(dispatcher ? { dispatcher } : {}),
  });
  const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
  const bytes = await readCapped(response.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  return { status: response.status, location, html: decodeHtml(bytes, response.headers.get('content-type')).text };
}

/** Fetches a page, following up to 5 redirects; throws PageUnreachableError when no HTTP answer comes. */
export async function fetchPage(url: string, options: FetchPageOptions): Promise<FetchedPage> {
  const redirects: string[] = [];
  let current = url;
  let unverifiedTls = false;
  for (;;) {
    let hop: Hop;
    try {
      hop = await requestOnce(current, options, unverifiedTls ? unverified() : undefined);
    } catch (error) {
      if (!unverifiedTls && isCertificateError(error)) {
        unverifiedTls = true;
        continue;
      }
      throw new PageUnreachableError(current, unreachableCode(error), error);
    }
    const next = hop.location ? new URL(hop.location, current) : hop.status === 200 ? forwardTarget(hop.html, current) : null;
    if (!next || redirects.length >= MAX_REDIRECTS || next.href === current) {
      return { finalUrl: current, status: hop.status, html: hop.html, redirects, unverifiedTls };
    }
    current = next.href;
    redirects.push(current);
  }
}
