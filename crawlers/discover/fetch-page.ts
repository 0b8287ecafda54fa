/**
 * One discovery request: GET with a timeout and a byte cap, redirects followed by hand (at most 5 hops, meta-refresh
 * and location-script forwarders included) so that a move to another host is seen, the body decoded (GBK portals
 * declare their charset only in a <meta>, or wrongly). A long page is cut at the cap, not refused: its links are read.
 */
import { fetch } from 'undici';
import { decodeHtml } from '../../shared/charset.ts';
import { describeNetworkFailure, isCertificateError, permanentCause } from '../errors.ts';
import { readCapped } from '../capped-body.ts';
import { networkPolicyOf, policyDispatcher, type NetworkPolicy } from '../network-policy.ts';
import { unfetchableReason } from '../url-policy.ts';
import { forwardTarget } from './read-page.ts';

/** The network policy (network-policy.ts) applies to every hop. */
export interface FetchPageOptions extends NetworkPolicy {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Timeout of one request, body included, in milliseconds. */
  timeoutMs: number;
  /** Most bytes read of a body (after decompression); the rest is dropped. Default 5 MB. */
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
  /** CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT… as the crawl names network causes (errors.ts), or a refusal's code (ADDRESS_REFUSED…). */
  readonly code: string;
  /** The cause for people, in the crawl's words: `connection refused (connect ECONNREFUSED 127.0.0.1:8080): nothing listens there…`. */
  readonly reason: string;

  constructor(url: string, error: unknown) {
    const { code, reason } = unreachableCause(error);
    super(`${url}: ${reason}`, { cause: error });
    this.name = 'PageUnreachableError';
    this.code = code;
    this.reason = reason;
  }
}

const MAX_REDIRECTS = 5;
const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Why a request got no answer: the network policy's refusal, else the network cause as the crawl describes it. */
function unreachableCause(error: unknown): { code: string; reason: string } {
  const refusal = permanentCause(error);
  if (refusal) return { code: refusal.code, reason: refusal.message };
  const network = describeNetworkFailure(error);
  if (network) return network;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return { code: 'NETWORK', reason: `network error (${message})` };
}

interface Hop {
  status: number;
  location: string | null;
  html: string;
}

/** One hop under the network policy (every hop's address is checked); `unverifiedTls` skips certificate checks. */
async function requestOnce(url: string, options: FetchPageOptions, unverifiedTls: boolean): Promise<Hop> {
  const response = await fetch(url, {
    redirect: 'manual',
    signal: AbortSignal.timeout(options.timeoutMs),
    headers: { 'user-agent': options.userAgent, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    dispatcher: policyDispatcher({ ...networkPolicyOf(options), tls: unverifiedTls ? 'ignore' : 'strict' }),
  });
  const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
  const { bytes } = await readCapped(response, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
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
      hop = await requestOnce(current, options, unverifiedTls);
    } catch (error) {
      if (!unverifiedTls && isCertificateError(error)) {
        unverifiedTls = true;
        continue;
      }
      throw new PageUnreachableError(current, error);
    }
    const next = hop.location ? new URL(hop.location, current) : hop.status === 200 ? forwardTarget(hop.html, current) : null;
    // A forward to file:, javascript: or a URL with credentials is not followed: the page is taken as it is.
    if (!next || unfetchableReason(next.href) || redirects.length >= MAX_REDIRECTS || next.href === current) {
      return { finalUrl: current, status: hop.status, html: hop.html, redirects, unverifiedTls };
    }
    current = next.href;
    redirects.push(current);
  }
}
