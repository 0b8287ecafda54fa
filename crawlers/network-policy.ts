/**
 * The network policy every request of the crawl, fetch and discovery stages goes through (the browser crawler's too:
 * chromium's requests are sent from here, see browser-network.ts):
 * - the address a connection is actually opened to must be public (address-class.ts) unless `allowPrivateNetworks`
 *   is set: undici's connector checks IP-literal hosts and filters what DNS returns, so a name that resolves to
 *   127.0.0.1 or 169.254.169.254 — at the first request or at a later one (DNS rebinding) — is never connected to;
 * - redirects are followed by hand, one hop at a time, each hop checked by the caller's rule (crawl and fetch:
 *   the source's hosts or their registered domain) and by the connector;
 * - a connection idle longer than the idle timeout fails (undici's headers and body timeouts), on top of the
 *   caller's deadline for the whole request.
 */
import { lookup as dnsLookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { getDomain } from 'tldts';
import { Agent, buildConnector, fetch, type Dispatcher, type RequestInit, type Response } from 'undici';
import { classifyAddress, isAddressAllowed, normalizedAddress } from './address-class.ts';

export interface NetworkPolicy {
  /** Lets requests reach loopback, private, link-local… addresses: the demo, tests and benches on 127.0.0.1 only. */
  allowPrivateNetworks: boolean;
  /**
   * Single addresses reachable even when allowPrivateNetworks is off (an intranet mirror; the hostile probes allow
   * 127.0.0.1 this way, so that 127.0.0.2 stands for the refused inside).
   */
  allowedPrivateAddresses?: readonly string[];
}

/** The policy part of a stage's options (CrawlOptions, FetchOptions… extend NetworkPolicy). */
export function networkPolicyOf(options: NetworkPolicy): NetworkPolicy {
  return {
    allowPrivateNetworks: options.allowPrivateNetworks,
    ...(options.allowedPrivateAddresses ? { allowedPrivateAddresses: options.allowedPrivateAddresses } : {}),
  };
}

/** Whether the policy lets a connection go to `address`. */
export function permits(policy: NetworkPolicy, address: string): boolean {
  if (isAddressAllowed(address, policy.allowPrivateNetworks)) return true;
  const normalized = normalizedAddress(address);
  return normalized !== null && (policy.allowedPrivateAddresses ?? []).some((allowed) => normalizedAddress(allowed) === normalized);
}

/** Seconds a connection may stay silent (no headers, no body bytes) before it fails, whatever the overall deadline. */
export const DEFAULT_IDLE_TIMEOUT_SECS = 15;

/** A host that resolves only to addresses the policy refuses. Permanent: asking again reaches the same network. */
export class AddressRefusedError extends Error {
  readonly code = 'ADDRESS_REFUSED';
  readonly retryable = false;

  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    const via = host === address ? '' : ` resolves to ${address}, which`;
    super(
      `${host}${via} is a ${classifyAddress(address)} address: refused by the network policy (set allowPrivateNetworks to reach private networks)`,
    );
    this.name = 'AddressRefusedError';
  }
}

/** A redirect that leaves the source's hosts: recorded with both URLs, not followed. */
export class RedirectOffSiteError extends Error {
  readonly code = 'REDIRECT_OFF_SITE';
  readonly retryable = false;

  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`${from} redirects to ${to}, off the source's hosts: not followed`);
    this.name = 'RedirectOffSiteError';
  }
}

/** A DNS lookup for net/tls.connect that drops the addresses the policy refuses (and fails when none is left). */
function guardedLookup(policy: NetworkPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter((entry) => permits(policy, entry.address));
      if (allowed.length === 0)
        return callback(new AddressRefusedError(hostname, addresses[0]?.address ?? 'no address') as NodeJS.ErrnoException, '', 0);
      if (options.all) return callback(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

/** undici's connector behind the policy: IP-literal hosts are checked here, names in the lookup. */
function guardedConnector(policy: NetworkPolicy, verifyTls: boolean): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup(policy), ...(verifyTls ? {} : { rejectUnauthorized: false }) });
  return (options, callback) => {
    if (isIP(options.hostname) && !permits(policy, options.hostname)) {
      return callback(new AddressRefusedError(options.hostname, options.hostname), null);
    }
    connect(options, callback);
  };
}

export interface DispatcherOptions extends NetworkPolicy {
  /** strict (default) verifies certificates; ignore does not (a source's `tls: ignore`). */
  tls?: 'strict' | 'ignore';
  /** See DEFAULT_IDLE_TIMEOUT_SECS. */
  idleTimeoutSecs?: number;
}

/** One connection pool per policy, TLS mode and idle timeout, shared by the whole process. */
const dispatchers = new Map<string, Dispatcher>();

/** The dispatcher to pass to undici's fetch for requests under this policy. */
export function policyDispatcher(options: DispatcherOptions): Dispatcher {
  const idleMs = (options.idleTimeoutSecs ?? DEFAULT_IDLE_TIMEOUT_SECS) * 1000;
  const verifyTls = options.tls !== 'ignore';
  const policy: NetworkPolicy = {
    allowPrivateNetworks: options.allowPrivateNetworks,
    allowedPrivateAddresses: [...(options.allowedPrivateAddresses ?? [])],
  };
  const key = `${policy.allowPrivateNetworks}/${policy.allowedPrivateAddresses!.join(',')}/${verifyTls}/${idleMs}`;
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = new Agent({ connect: guardedConnector(policy, verifyTls), headersTimeout: idleMs, bodyTimeout: idleMs });
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/** The registrable domain of a host (`xxgk.demo.gov.cn` → `demo.gov.cn`); an IP address or a bare name is its own. */
function registeredDomain(hostname: string): string {
  return getDomain(hostname, { allowPrivateDomains: true }) ?? hostname;
}

/** A redirect rule: a target on one of `hosts` (host[:port]) or on one of their registered domains. */
export function sameSiteAs(hosts: Iterable<string>): (to: URL) => boolean {
  const exact = new Set<string>();
  const domains = new Set<string>();
  for (const host of hosts) {
    const { hostname } = new URL(`http://${host}`);
    exact.add(host);
    if (!isIP(hostname.replace(/^\[(.*)\]$/, '$1'))) domains.add(registeredDomain(hostname));
  }
  return (to) => exact.has(to.host) || (!isIP(to.hostname.replace(/^\[(.*)\]$/, '$1')) && domains.has(registeredDomain(to.hostname)));
}

/** Hops followed at most; a longer chain is answered with its last redirect (crawl: recorded as HTTP_3xx). */
export const MAX_REDIRECTS = 10;

/**
 * undici's fetch with redirects followed by hand: each hop must pass `mayFollow` (else RedirectOffSiteError, the
 * off-site target not contacted) and goes through the dispatcher's address check. 301/302/303 turn a POST into a
 * GET, as browsers do. Returns the last answer and the URL it came from.
 */
export async function fetchFollowing(
  url: string,
  init: Omit<RequestInit, 'redirect'>,
  mayFollow: (to: URL) => boolean,
): Promise<{ response: Response; finalUrl: string }> {
  let current = url;
  let request = init;
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(current, { ...request, redirect: 'manual' });
    const location = response.status >= 300 && response.status < 400 && response.status !== 304 ? response.headers.get('location') : null;
    if (!location || hop >= MAX_REDIRECTS) return { response, finalUrl: current };
    await response.body?.cancel().catch(() => undefined);
    const next = new URL(location, current);
    if (!/^https?:$/.test(next.protocol) || !mayFollow(next)) throw new RedirectOffSiteError(current, next.href);
    if (response.status !== 307 && response.status !== 308 && request.method === 'POST') {
      const { body: _dropped, ...rest } = request;
      request = { ...rest, method: 'GET' };
    }
    current = next.href;
  }
}
