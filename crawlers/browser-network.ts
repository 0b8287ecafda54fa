/**
 * The browser crawler's network, served by this process: chromium never resolves a name nor opens a connection.
 * Every request of a browser context (documents, frames, scripts, XHR/fetch) is routed here and sent with the HTTP
 * crawler's policy-checked undici dispatcher (network-policy.ts: the address actually connected to is checked, on
 * every request and every hop, so a DNS answer that changes in between is caught), its body read under the page cap
 * while it streams (capped-body.ts), then handed to chromium with route.fulfill. Images, fonts and media are not
 * fetched at all; WebSockets are closed unopened; service workers are blocked at launch (browser-crawler.ts).
 *
 * Redirects never reach chromium, because Playwright lets a redirect's next hop past the routes (onto chromium's own
 * network). A main-frame navigation answered by a redirect is checked against the source's hosts (REDIRECT_OFF_SITE,
 * the target never contacted) and handed to the tab as an empty page of that status without its Location; the
 * target is kept for the crawler, which navigates there (takeRedirect), so that the tab's URL is the final one. A
 * sub-resource's redirects are followed here, each hop through the same dispatcher.
 *
 * What Playwright lets past the routes all the same (a request without a frame, a redirect hop) fails inside
 * chromium, which is launched with every host name, IP literals included, resolving to nothing (OFFLINE_CHROMIUM_ARGS).
 */
import type { BrowserContext, Request as BrowserRequest, Page, Route } from 'playwright-core';
import { fetch, type Dispatcher, type Response } from 'undici';
import { readPageCapped } from './capped-body.ts';
import { networkErrorCode, PageError, permanentCause, type NetworkFailureCode } from './errors.ts';
import { fetchFollowing, RedirectOffSiteError, sameSiteAs } from './network-policy.ts';
import { DEFAULT_MAX_PAGE_BYTES, sourceDispatcher, type CrawlOptions, type CrawlState } from './page-crawler.ts';
import { unfetchableReason } from './url-policy.ts';

/** Chromium flags that leave it no network of its own: every host name (IP literals too) fails to resolve. */
export const OFFLINE_CHROMIUM_ARGS = ['--host-resolver-rules=MAP * ~NOTFOUND'];

/** Resource types a crawl never needs: aborted without a request. */
const SKIPPED_TYPES = new Set(['image', 'media', 'font']);
/** Request headers that describe chromium's connection, not the request: undici sets its own (and decompresses). */
const CONNECTION_HEADERS =
  /^(:|host$|connection$|keep-alive$|transfer-encoding$|content-length$|accept-encoding$|upgrade$|expect$|te$|trailer$|proxy-)/;
/** Answer headers that no longer hold once undici has decoded the body, or that chromium must not act on. */
const DECODED_AWAY = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);
/** How chromium names the network failures it has a name for (net::ERR_…); the others are kept, see failures. */
const CHROMIUM_REASONS: Partial<Record<NetworkFailureCode, string>> = {
  CONNECTION_REFUSED: 'connectionrefused',
  DNS_FAILURE: 'namenotresolved',
  TIMEOUT: 'timedout',
  CONNECTION_RESET: 'connectionreset',
  HOST_UNREACHABLE: 'addressunreachable',
};

/** What the crawl knows about a tab: the page it was opened for, and what its navigations came to. */
interface Tab {
  /** The crawl request's URL: failures of the tab's main-frame navigations are kept under it. */
  crawledUrl: string;
  /** If-None-Match / If-Modified-Since for main-frame navigations to crawledUrl (a re-crawl's LIST page). */
  validators?: Record<string, string>;
  /** Set when a conditional navigation was answered 304 (the tab then shows an empty page). */
  notModified: boolean;
  /** Where the last main-frame answer redirected to, not yet navigated. */
  redirectTo: string | null;
}

/** An answer of the policy-checked client, read whole (up to the page cap). */
export interface PolicyAnswer {
  url: string;
  status: number;
  headers: Response['headers'];
  body: Buffer;
}

type Reply = { fulfill: NonNullable<Parameters<Route['fulfill']>[0]> } | { abort: string };

/** The network of one crawl's browser contexts: routes every request through the crawl's network policy. */
export class BrowserNetwork {
  readonly #tabs = new WeakMap<Page, Tab>();
  readonly #served = new WeakSet<BrowserContext>();
  readonly #sameSite: (to: URL) => boolean;
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  readonly #userAgent: string;
  readonly #dispatcher: Dispatcher;
  /**
   * Failures of main-frame navigations that chromium's own error cannot name, by crawled URL: refusals
   * (ADDRESS_REFUSED, REDIRECT_OFF_SITE, PAGE_TOO_LARGE, INVALID_URL) and TLS failures. The crawler reports them in
   * place of chromium's net::ERR_BLOCKED_BY_CLIENT / net::ERR_FAILED.
   */
  readonly #failures = new Map<string, Error>();

  constructor(state: CrawlState, options: CrawlOptions) {
    this.#sameSite = sameSiteAs(state.allowedHosts);
    this.#maxBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
    this.#timeoutMs = options.requestTimeoutSecs * 1000;
    this.#userAgent = state.userAgent;
    this.#dispatcher = sourceDispatcher(state.source, options);
  }

  /** Routes every request and WebSocket of `context` here (once per context). */
  async serve(context: BrowserContext): Promise<void> {
    if (this.#served.has(context)) return;
    this.#served.add(context);
    await context.routeWebSocket(/.*/, (socket) => socket.close({ code: 1008, reason: 'the crawler opens no WebSocket' }));
    await context.route('**/*', (route) => this.#answer(route));
  }

  /** Starts (or restarts, for a retry) the crawl of `crawledUrl` in `page`; requests of a page never opened are aborted. */
  openTab(page: Page, crawledUrl: string, validators?: Record<string, string>): void {
    this.#tabs.set(page, { crawledUrl, ...(validators ? { validators } : {}), notModified: false, redirectTo: null });
    this.#failures.delete(crawledUrl);
  }

  /** Whether the tab's conditional navigation was answered 304 Not Modified. */
  notModified(page: Page): boolean {
    return this.#tabs.get(page)?.notModified ?? false;
  }

  /** Where the tab's last main-frame answer redirected to (once), or null. */
  takeRedirect(page: Page): string | null {
    const tab = this.#tabs.get(page);
    const target = tab?.redirectTo ?? null;
    if (tab) tab.redirectTo = null;
    return target;
  }

  /** The kept failure of the crawl of `url` (see #failures), if any. */
  failureOf(url: string): Error | undefined {
    return this.#failures.get(url);
  }

  /** Throws the kept failure of the crawl of `url`, if any. */
  throwIfFailed(url: string): void {
    const failure = this.#failures.get(url);
    if (failure) throw failure;
  }

  /**
   * Sends a request the tab does not navigate (a POST) with the browser context's cookies, redirects not followed,
   * the body read under the page cap. Network failures and refusals are thrown as undici and the policy raise them.
   */
  async send(page: Page, request: { url: string; method: string; headers: Record<string, string>; body?: string }): Promise<PolicyAnswer> {
    const invalid = unfetchableReason(request.url);
    if (invalid) throw new PageError(invalid, { code: 'INVALID_URL', retryable: false, url: request.url });
    const cookies = await page.context().cookies(request.url);
    const cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
    const headers = { 'user-agent': this.#userAgent, accept: '*/*', ...request.headers, ...(cookie ? { cookie } : {}) };
    const response = await this.#fetchOnce(request.url, request.method, headers, request.body);
    return { url: request.url, status: response.status, headers: response.headers, body: await this.#readBody(response, request.url) };
  }

  async #answer(route: Route): Promise<void> {
    const request = route.request();
    // data: and blob: URLs stay inside chromium.
    if (/^(data|blob):/.test(request.url())) return void (await route.fallback().catch(() => undefined));
    const reply = await this.#replyTo(request).catch((error: unknown): Reply => ({ abort: chromiumReason(error) }));
    // Either fails only when the tab closed meanwhile (a timeout): nothing waits for the answer then.
    await ('abort' in reply ? route.abort(reply.abort) : route.fulfill(reply.fulfill)).catch(() => undefined);
  }

  async #replyTo(request: BrowserRequest): Promise<Reply> {
    if (SKIPPED_TYPES.has(request.resourceType())) return { abort: 'blockedbyclient' };
    const page = request.frame().page(); // throws for a service worker's request: aborted
    const tab = this.#tabs.get(page);
    if (!tab) return { abort: 'blockedbyclient' }; // a popup the page opened: not the crawl's
    if (!isMainNavigation(request, page)) return this.#replyToResource(request);
    try {
      return await this.#replyToNavigation(request, tab);
    } catch (error) {
      if (!namedByChromium(error)) this.#failures.set(tab.crawledUrl, causeOf(error));
      throw error;
    }
  }

  /** A main-frame navigation: on the source's hosts, conditional when the crawl has validators, redirects kept for the crawler. */
  async #replyToNavigation(request: BrowserRequest, tab: Tab): Promise<Reply> {
    const url = request.url();
    this.#checkNavigation(url, tab.crawledUrl);
    const validators = tab.validators && withoutHash(url) === withoutHash(new URL(tab.crawledUrl).href) ? tab.validators : {};
    const headers = { ...forwardedHeaders(await request.allHeaders()), ...validators };
    const response = await this.#fetchOnce(url, request.method(), headers, request.postDataBuffer() ?? undefined);
    const location = redirectLocation(response);
    if (location !== null) {
      await response.body?.cancel().catch(() => undefined);
      const target = new URL(location, url);
      if (!/^https?:$/.test(target.protocol) || !this.#sameSite(target)) throw new RedirectOffSiteError(url, target.href);
      tab.redirectTo = target.href;
      // No Location: chromium shows an empty page of that status (its cookies kept), and the crawler navigates on.
      return { fulfill: { status: response.status, headers: fulfilledHeaders(response, ['location']), body: '' } };
    }
    if (response.status === 304 && Object.keys(validators).length > 0) {
      await response.body?.cancel().catch(() => undefined);
      tab.notModified = true;
      return { fulfill: { status: 200, contentType: 'text/html; charset=utf-8', body: '' } };
    }
    return { fulfill: { status: response.status, headers: fulfilledHeaders(response), body: await this.#readBody(response, url) } };
  }

  /** A frame's document, a script, a stylesheet, an XHR: any public host, every redirect hop checked by the dispatcher. */
  async #replyToResource(request: BrowserRequest): Promise<Reply> {
    const url = request.url();
    if (unfetchableReason(url)) return { abort: 'blockedbyclient' };
    const method = request.method();
    const body = request.postDataBuffer();
    const { response } = await fetchFollowing(
      url,
      {
        method,
        headers: forwardedHeaders(await request.allHeaders()),
        ...(body ? { body } : {}),
        dispatcher: this.#dispatcher,
        signal: AbortSignal.timeout(this.#timeoutMs),
      },
      () => true,
    );
    if (redirectLocation(response) !== null) {
      // A chain longer than MAX_REDIRECTS: handed on, chromium would follow it past the routes.
      await response.body?.cancel().catch(() => undefined);
      return { abort: 'failed' };
    }
    return { fulfill: { status: response.status, headers: fulfilledHeaders(response), body: await this.#readBody(response, url) } };
  }

  /** Throws when a main-frame navigation may not go to `url`: not http(s), credentials, or off the source's hosts. */
  #checkNavigation(url: string, from: string): void {
    const invalid = unfetchableReason(url);
    if (invalid) throw new PageError(invalid, { code: 'INVALID_URL', retryable: false, url });
    if (!this.#sameSite(new URL(url))) throw new RedirectOffSiteError(from, url);
  }

  /** One request through the policy dispatcher, its redirect (if any) answered as it came. */
  #fetchOnce(url: string, method: string, headers: Record<string, string>, body: Buffer | string | undefined): Promise<Response> {
    return fetch(url, {
      method,
      headers,
      ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
      redirect: 'manual',
      dispatcher: this.#dispatcher,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
  }

  #readBody(response: Response, url: string): Promise<Buffer> {
    return readPageCapped(response, url, this.#maxBytes);
  }
}

export function isMainNavigation(request: BrowserRequest, page: Page): boolean {
  try {
    return request.isNavigationRequest() && request.frame() === page.mainFrame();
  } catch {
    return false; // a request without a frame (service worker)
  }
}

/** A URL without its fragment; both sides spelled as chromium spells them (`new URL().href`, percent-encoded). */
const withoutHash = (url: string): string => url.replace(/#.*$/, '');

/** The Location of a redirect answer (not 304), or null. */
function redirectLocation(response: Response): string | null {
  return response.status >= 300 && response.status < 400 && response.status !== 304 ? response.headers.get('location') : null;
}

function forwardedHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CONNECTION_HEADERS.test(name.toLowerCase())));
}

/** The answer's headers as chromium gets them: the body is decoded, each Set-Cookie on a line of its own (Playwright's form). */
function fulfilledHeaders(response: Response, dropped: string[] = []): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of response.headers) if (!DECODED_AWAY.has(name) && !dropped.includes(name)) headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies.join('\n');
  return headers;
}

/** The refusal an error carries (undici wraps the connector's in "fetch failed"), else the error itself. */
function causeOf(error: unknown): Error {
  return permanentCause(error) ?? (error instanceof Error ? error : new Error(String(error)));
}

/** The reason chromium is given for an aborted request: its name of the network failure, else blocked or failed. */
function chromiumReason(error: unknown): string {
  if (permanentCause(error)) return 'blockedbyclient';
  const code = networkErrorCode(error);
  return (code && CHROMIUM_REASONS[code]) ?? 'failed';
}

/** Whether chromium's error for the aborted request names the failure (net::ERR_CONNECTION_REFUSED …) as we would. */
function namedByChromium(error: unknown): boolean {
  return !['blockedbyclient', 'failed'].includes(chromiumReason(error));
}
