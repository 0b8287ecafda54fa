/**
 * The browser crawler: Crawlee's PlaywrightCrawler on the system chromium, for lists drawn by JavaScript and
 * for JS cookie challenges (a 412/521 page whose script sets a cookie and reloads): the page is given a few
 * seconds to pass the challenge before its content is read.
 *
 * Incremental like the HTTP crawler. A LIST request with validators from the previous crawl (If-None-Match,
 * If-Modified-Since) has its main-frame navigation intercepted and sent with them by Playwright's route.fetch,
 * which carries the browser context's cookies. A 304 never reaches chromium (it would show an empty page): the
 * tab gets a blank page and the handler a FetchedPage with status 304, so that what the page led to last time is
 * replayed. Any other answer, a challenge page included, goes to chromium as it came; the challenge's reload is
 * asked conditionally too. The validators travel in userData, not in the request's headers, because Crawlee sets
 * those on every request of the tab (scripts and styles included). Each navigated page's ETag and Last-Modified
 * are taken from its last main-frame answer, for the next crawl.
 *
 * POST list requests (Hanweb's dataproxy.jsp paging) are not navigated — chromium would render the XML answer as
 * a document tree — but sent through the tab's APIRequestContext, which shares the browser context's cookies. When
 * the answer is a challenge all the same (a fresh browser, an expired cookie), the tab passes it on the referring
 * page and the request is sent once more.
 */
import { PlaywrightCrawler, type PlaywrightCrawlingContext } from '@crawlee/playwright';
import { Configuration, Log, LogLevel, type RequestOptions } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import { chromium, type APIResponse, type Page, type Request as BrowserRequest, type Route } from 'playwright-core';
import { decodeHtml } from '../shared/charset.ts';
import { detectChallenge } from '../shared/anti-bot.ts';
import {
  DEFAULT_MAX_PAGE_BYTES,
  MAX_REQUEST_RETRIES,
  MAX_TIMEOUT_RETRIES,
  sourceConcurrency,
  type CrawlOptions,
  type CrawlState,
  type FailedPageHandler,
  type FetchedPage,
  type PageHandler,
  type RequestData,
} from './page-crawler.ts';
import { networkErrorCode, PageError, permanentCause } from './errors.ts';
import { networkPolicyOf, RedirectOffSiteError, refusalOfHost, sameSiteAs } from './network-policy.ts';
import { unfetchableReason } from './url-policy.ts';

/** Where Debian installs chromium. */
const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];
/** How long a challenge page may take to set its cookie and reload, in milliseconds. */
const CHALLENGE_WAIT_MS = 8000;
/** Request headers that make a request conditional (in the browser they travel in userData, see above). */
const VALIDATOR_HEADERS = ['if-none-match', 'if-modified-since'];

/** A fresh Crawlee configuration with in-memory storage: crawls running at once share nothing. */
function isolatedConfiguration(): Configuration {
  const storageClient = new MemoryStorage({ persistStorage: false, writeMetadata: false });
  return new Configuration({ persistStorage: false, storageClient, purgeOnStart: true });
}

/** What a browser request carries besides RequestData: the validators of a LIST page the previous state knows. */
interface BrowserRequestData extends RequestData {
  validators?: Record<string, string>;
}

/** An answered page before the handler gets its addRequests. */
type Answer = Omit<FetchedPage, 'addRequests'>;

/** The parts of a main-frame answer a FetchedPage needs (the reload after a challenge replaces the first). */
interface MainResponse {
  status: number;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
}

const NO_RESPONSE: MainResponse = { status: 0, contentType: null, etag: null, lastModified: null };

function mainResponseOf(response: { status(): number; headers(): Record<string, string> }): MainResponse {
  const headers = response.headers();
  return {
    status: response.status(),
    contentType: headers['content-type'] ?? null,
    etag: headers.etag ?? null,
    lastModified: headers['last-modified'] ?? null,
  };
}

/** A request as the browser runs it: validators moved from the headers to userData, POSTs not navigated. */
function forBrowser(options: RequestOptions): RequestOptions {
  const headers = { ...options.headers };
  const validators: Record<string, string> = {};
  for (const name of VALIDATOR_HEADERS) {
    if (headers[name]) validators[name] = headers[name];
    delete headers[name];
  }
  const userData: BrowserRequestData = {
    ...(options.userData as RequestData),
    ...(Object.keys(validators).length > 0 ? { validators } : {}),
  };
  return { ...options, headers, userData, skipNavigation: (options.method ?? 'GET') !== 'GET' };
}

function isMainNavigation(request: BrowserRequest, page: Page): boolean {
  try {
    return request.isNavigationRequest() && request.frame() === page.mainFrame();
  } catch {
    return false; // a request without a frame (service worker)
  }
}

/** Keeps the last main-frame answer of the tab in `responses`. */
function watchMainResponses(page: Page, responses: WeakMap<Page, MainResponse>): void {
  page.on('response', (response) => {
    if (isMainNavigation(response.request(), page)) responses.set(page, mainResponseOf(response));
  });
}

const withoutHash = (url: string): string => url.replace(/#.*$/, '');

/**
 * Sends the tab's main-frame navigations to `url` with the validators. A 304 becomes a blank page and
 * `onNotModified` is told; any other answer, a redirect too, goes to chromium as it came. When the conditional
 * request itself fails, chromium sends the plain one, so that the crawler sees the real error.
 */
async function askConditionally(
  page: Page,
  url: string,
  validators: Record<string, string>,
  timeoutMs: number,
  onNotModified: () => void,
): Promise<void> {
  const target = withoutHash(new URL(url).href); // as chromium spells it (percent-encoded)
  await page.route(
    (candidate) => withoutHash(candidate.href) === target,
    async (route: Route) => {
      try {
        const sent = route.request();
        if (!isMainNavigation(sent, page)) return await route.fallback();
        const answer = await route
          .fetch({ headers: { ...sent.headers(), ...validators }, maxRedirects: 0, timeout: timeoutMs })
          .catch(() => null);
        if (!answer) return await route.continue();
        if (answer.status() !== 304) return await route.fulfill({ response: answer });
        onNotModified();
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '' });
      } catch {
        // The tab closed meanwhile (a timeout): nothing is waiting for this answer.
      }
    },
  );
}

/**
 * The tab's document, refused as PAGE_TOO_LARGE past `maxBytes` (measured inside chromium, so that an oversized
 * page never reaches this process as a string).
 */
async function pageContent(page: Page, maxBytes: number): Promise<string> {
  const length = Number(await page.evaluate('document.documentElement ? document.documentElement.outerHTML.length : 0').catch(() => 0));
  if (length > maxBytes) {
    const url = page.url();
    throw new PageError(`${url} is larger than the ${maxBytes}-byte page limit (maxPageBytes; ${length} characters in the browser)`, {
      code: 'PAGE_TOO_LARGE',
      retryable: false,
      url,
    });
  }
  return page.content().catch(() => '');
}

/** Waits until the tab shows something other than a challenge page (or a 304 was noted), and returns its HTML. */
async function passChallenge(page: Page, last: () => MainResponse, notModified: () => boolean, maxBytes: number): Promise<string> {
  const deadline = Date.now() + CHALLENGE_WAIT_MS;
  for (;;) {
    if (notModified()) return '';
    const text = await pageContent(page, maxBytes);
    if (text && !detectChallenge(last().status, text)) return text;
    if (Date.now() > deadline) return text;
    await page.waitForLoadState('load').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function requestOf({ request }: PlaywrightCrawlingContext): FetchedPage['request'] {
  return {
    url: request.url,
    method: request.method === 'POST' ? 'POST' : 'GET',
    ...(request.payload ? { payload: request.payload } : {}),
    label: request.label ?? '',
    userData: request.userData as RequestData,
    retryCount: request.retryCount,
  };
}

/** A navigated page once past any challenge: status 304 when the conditional navigation was not modified. */
async function readNavigatedPage(
  context: PlaywrightCrawlingContext,
  responses: WeakMap<Page, MainResponse>,
  notModified: WeakSet<Page>,
  maxBytes: number,
): Promise<Answer> {
  const { page } = context;
  const first = context.response ? mainResponseOf(context.response) : NO_RESPONSE;
  const last = () => responses.get(page) ?? first;
  const unchanged = () => notModified.has(page);
  const text = await passChallenge(page, last, unchanged, maxBytes);
  if (unchanged()) return { request: requestOf(context), loadedUrl: page.url(), status: 304, contentType: null, body: '' };
  const answer = last();
  return {
    request: requestOf(context),
    loadedUrl: page.url(),
    status: answer.status,
    contentType: answer.contentType,
    etag: answer.etag,
    lastModified: answer.lastModified,
    body: text,
  };
}

/** Sends the request through the tab's APIRequestContext (the browser context's cookies go along), validators included. */
function sendThroughContext({ request, page }: PlaywrightCrawlingContext, timeoutMs: number): Promise<APIResponse> {
  const { validators } = request.userData as BrowserRequestData;
  return page.request.fetch(request.url, {
    method: request.method,
    headers: { ...request.headers, ...validators },
    ...(request.payload !== undefined ? { data: request.payload } : {}),
    failOnStatusCode: false,
    timeout: timeoutMs,
    // Redirects are not followed: each hop would escape the network policy's route check (see guardRequests).
    maxRedirects: 0,
  });
}

/** Passes a challenge in the tab by visiting `url` (the page that led to the request, or the site root). */
async function passChallengeAt(
  context: PlaywrightCrawlingContext,
  url: string,
  responses: WeakMap<Page, MainResponse>,
  timeoutMs: number,
  maxBytes: number,
): Promise<void> {
  const { page } = context;
  watchMainResponses(page, responses);
  const response = await page.goto(url, { timeout: timeoutMs });
  const first = response ? mainResponseOf(response) : NO_RESPONSE;
  await passChallenge(
    page,
    () => responses.get(page) ?? first,
    () => false,
    maxBytes,
  );
}

/**
 * The body of an answer of the tab's APIRequestContext. Playwright reads such a body whole, so only an announced
 * Content-Length can refuse it before it is read; past the cap it is refused all the same.
 */
async function cappedBody(answer: APIResponse, maxBytes: number): Promise<Buffer> {
  const announced = Number(answer.headers()['content-length'] ?? NaN);
  const tooLarge = (size: number) =>
    new PageError(`${answer.url()} is larger than the ${maxBytes}-byte page limit (maxPageBytes; ${size} bytes)`, {
      code: 'PAGE_TOO_LARGE',
      retryable: false,
      url: answer.url(),
    });
  if (announced > maxBytes) {
    await answer.dispose().catch(() => undefined);
    throw tooLarge(announced);
  }
  const body = await answer.body();
  if (body.byteLength > maxBytes) throw tooLarge(body.byteLength);
  return body;
}

/** A request that is not navigated (a POST): its answer, asked once more after passing a challenge it met. */
async function fetchWithoutNavigation(
  context: PlaywrightCrawlingContext,
  responses: WeakMap<Page, MainResponse>,
  timeoutMs: number,
  maxBytes: number,
): Promise<Answer> {
  let answer = await sendThroughContext(context, timeoutMs);
  const contentType = () => answer.headers()['content-type'] ?? null;
  // Decoded once here, as pages are (our charset rules), and handed on as text.
  let body = decodeHtml(await cappedBody(answer, maxBytes), contentType()).text;
  if (detectChallenge(answer.status(), body)) {
    await passChallengeAt(
      context,
      context.request.headers?.referer ?? new URL('/', context.request.url).href,
      responses,
      timeoutMs,
      maxBytes,
    );
    answer = await sendThroughContext(context, timeoutMs);
    body = decodeHtml(await cappedBody(answer, maxBytes), contentType()).text;
  }
  const { status, etag, lastModified } = mainResponseOf(answer);
  const retryAfter = answer.headers()['retry-after'];
  return {
    request: requestOf(context),
    loadedUrl: answer.url(),
    status,
    contentType: contentType(),
    ...(retryAfter ? { retryAfter } : {}),
    etag,
    lastModified,
    body,
  };
}

/**
 * The network policy in the browser. Chromium's connections are not undici's, so each request of a tab is checked
 * by a route before it leaves: http(s) only, every address of its host allowed (looked up here; chromium looks it
 * up again, so a DNS answer that changes in between is not caught — the undici crawler has no such gap), and a
 * main-frame navigation on the source's hosts. Redirect hops bypass routes in Playwright: a navigation whose
 * redirect chain left the source's hosts or reached a refused address is refused after the fact (checkRedirects),
 * its content unread. Refusals of main-frame navigations are kept by URL for the failure record.
 */
class BrowserGuard {
  readonly #hosts = new Map<string, Promise<Error | null>>();
  readonly #sameSite: (to: URL) => boolean;
  /** The refusal of each main-frame navigation the guard aborted, by the URL it was going to. */
  readonly refusals = new Map<string, Error>();

  constructor(
    private readonly state: CrawlState,
    private readonly options: CrawlOptions,
  ) {
    this.#sameSite = sameSiteAs(state.allowedHosts);
  }

  /** Why `url` may not be requested (as a main-frame navigation from `from`, when it is one), or null. */
  async refusalOf(url: string, navigation: { from: string } | null): Promise<Error | null> {
    const invalid = unfetchableReason(url);
    if (invalid) return new PageError(invalid, { code: 'INVALID_URL', retryable: false, url });
    const parsed = new URL(url);
    if (navigation && !this.#sameSite(parsed)) return new RedirectOffSiteError(navigation.from, url);
    let refusal = this.#hosts.get(parsed.hostname);
    if (!refusal) {
      refusal = refusalOfHost(parsed.hostname, networkPolicyOf(this.options));
      this.#hosts.set(parsed.hostname, refusal);
    }
    return refusal;
  }

  /** Routes every request of the tab through refusalOf; data: and blob: stay inside the browser and pass. */
  async guardRequests(page: Page, crawledUrl: string): Promise<void> {
    await page.route(
      () => true,
      async (route: Route) => {
        const request = route.request();
        try {
          if (/^(data|blob):/.test(request.url())) return await route.fallback();
          const navigation = isMainNavigation(request, page) ? { from: crawledUrl } : null;
          const refusal = await this.refusalOf(request.url(), navigation);
          if (!refusal) return await route.fallback();
          if (navigation) this.refusals.set(crawledUrl, refusal);
          await route.abort('blockedbyclient');
        } catch {
          // The tab closed meanwhile: nothing is waiting for this request.
        }
      },
    );
  }

  /**
   * Stops the tab's loading once one answer passes `maxBytes` (decoded bytes, counted by chromium's network events as
   * they arrive), and keeps PAGE_TOO_LARGE as the navigation's refusal: an oversized page is neither loaded whole
   * by chromium nor handed to this process.
   */
  async capSizes(page: Page, crawledUrl: string, maxBytes: number): Promise<void> {
    const session = await page.context().newCDPSession(page);
    await session.send('Network.enable');
    const received = new Map<string, number>();
    session.on('Network.dataReceived', (event) => {
      const total = (received.get(event.requestId) ?? 0) + event.dataLength;
      received.set(event.requestId, total);
      if (total <= maxBytes || this.refusals.has(crawledUrl)) return;
      const message = `${crawledUrl} is larger than the ${maxBytes}-byte page limit (maxPageBytes; over ${total} bytes received by the browser)`;
      this.refusals.set(crawledUrl, new PageError(message, { code: 'PAGE_TOO_LARGE', retryable: false, url: crawledUrl }));
      void session.send('Page.stopLoading').catch(() => undefined);
    });
  }

  /** Throws the refusal the guard kept for this navigation (an aborted off-site navigation, an oversized answer). */
  throwIfRefused(crawledUrl: string): void {
    const refusal = this.refusals.get(crawledUrl);
    if (refusal) throw refusal;
  }

  /** Throws when the navigation's redirect chain left the source's hosts or passed a refused address. */
  async checkRedirects(context: PlaywrightCrawlingContext): Promise<void> {
    const hops: string[] = [];
    for (let request = context.response?.request() ?? null; request; request = request.redirectedFrom()) hops.unshift(request.url());
    for (const [index, url] of hops.entries()) {
      const refusal = index === 0 ? null : await this.refusalOf(url, { from: hops[index - 1]! });
      if (refusal) throw refusal;
    }
  }
}

/** A refusal is permanent: Crawlee is told not to retry it, and the crawl records it with its own code. */
function markPermanent(context: PlaywrightCrawlingContext, error: unknown): void {
  if (permanentCause(error)) context.request.noRetry = true;
}

/** Crawls from `starts` in chromium until no request is left or maxPages is reached. */
export async function crawlWithBrowser(
  state: CrawlState,
  options: CrawlOptions,
  starts: RequestOptions[],
  handle: PageHandler,
  onFailed: FailedPageHandler,
): Promise<void> {
  const responses = new WeakMap<Page, MainResponse>();
  const notModified = new WeakSet<Page>();
  const timeoutMs = options.requestTimeoutSecs * 1000;
  const maxBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  const guard = new BrowserGuard(state, options);
  const crawler = new PlaywrightCrawler(
    {
      launchContext: {
        launcher: chromium,
        userAgent: state.userAgent,
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
          ...(options.browserProxy ? { proxy: options.browserProxy } : {}),
          // The source's TLS policy; Crawlee opens a persistent context, so this reaches route.fetch and page.request too.
          ...(state.source.tls === 'ignore' ? { ignoreHTTPSErrors: true } : {}),
        },
      },
      browserPoolOptions: { useFingerprints: false },
      headless: true,
      maxRequestsPerCrawl: options.maxPages,
      maxConcurrency: Math.min(2, sourceConcurrency(state, options)),
      // The browser keeps Crawlee's own per-crawl delay (it is not gated by the host scheduler): the source's, else the process default.
      sameDomainDelaySecs: (state.source.politeness?.delayMs ?? options.hosts?.defaultBudget.delayMs ?? 0) / 1000,
      navigationTimeoutSecs: options.requestTimeoutSecs,
      // A POST that meets a challenge is sent twice around a visit of the referring page.
      requestHandlerTimeoutSecs: 3 * options.requestTimeoutSecs + CHALLENGE_WAIT_MS / 1000 + 30,
      maxRequestRetries: MAX_REQUEST_RETRIES,
      useSessionPool: true,
      // A challenge status must reach the handler, which waits for the script's reload, not retire the session.
      sessionPoolOptions: { blockedStatusCodes: [] },
      persistCookiesPerSession: true,
      log: new Log({ level: LogLevel.OFF, prefix: `browser ${state.source.id}` }),
      preNavigationHooks: [
        async (context) => {
          const { page, request } = context;
          const refusal = await guard.refusalOf(request.url, null);
          if (refusal) {
            markPermanent(context as PlaywrightCrawlingContext, refusal);
            throw refusal;
          }
          watchMainResponses(page, responses);
          const { validators } = request.userData as BrowserRequestData;
          if (validators) await askConditionally(page, request.url, validators, timeoutMs, () => notModified.add(page));
          // Registered last, so it runs first: askConditionally's route.fetch only ever sees requests it let through.
          await guard.guardRequests(page, request.url);
          await guard.capSizes(page, request.url, maxBytes);
        },
      ],
      requestHandler: async (context) => {
        try {
          guard.throwIfRefused(context.request.url);
          if (!context.request.skipNavigation) await guard.checkRedirects(context);
          // Not navigated (a POST): sent by Playwright's request context, which no route sees, so checked here.
          const refusal = context.request.skipNavigation ? await guard.refusalOf(context.request.url, null) : null;
          if (refusal) throw refusal;
          const answer = context.request.skipNavigation
            ? await fetchWithoutNavigation(context, responses, timeoutMs, maxBytes)
            : await readNavigatedPage(context, responses, notModified, maxBytes);
          await handle({ ...answer, addRequests: async (requests) => void (await context.addRequests(requests.map(forBrowser))) });
        } catch (error) {
          markPermanent(context, error);
          throw error;
        }
      },
      // Before a retry: a refusal the guard kept (a navigation it aborted or stopped) is not retried, a timeout only
      // MAX_TIMEOUT_RETRIES times (as in the HTTP crawler).
      errorHandler: ({ request }, error) => {
        const timedOutEnough = networkErrorCode(error) === 'TIMEOUT' && request.retryCount >= MAX_TIMEOUT_RETRIES;
        if (guard.refusals.has(request.url) || permanentCause(error) || timedOutEnough) request.noRetry = true;
      },
      failedRequestHandler: ({ request }, error) =>
        onFailed(request.url, request.userData as RequestData, request.retryCount, guard.refusals.get(request.url) ?? error),
    },
    isolatedConfiguration(),
  );
  const budget =
    options.budgetSecs === undefined
      ? undefined
      : setTimeout(() => {
          state.budgetExceeded = true;
          const url = state.source.startUrls[0] ?? '';
          state.errors.push({
            url,
            code: 'SOURCE_BUDGET_EXCEEDED',
            message: `the crawl of source ${state.source.id} ran out of its ${options.budgetSecs} s time budget (sourceBudgetSecs); pages not yet read were skipped`,
          });
          crawler.stop('time budget exceeded');
        }, options.budgetSecs * 1000);
  try {
    await crawler.run(starts.map(forBrowser));
  } finally {
    clearTimeout(budget);
  }
}
