/**
 * The browser crawler: Crawlee's PlaywrightCrawler on the system chromium, for lists drawn by JavaScript and
 * for JS cookie challenges (a 412/521 page whose script sets a cookie and reloads): the page is given a few
 * seconds to pass the challenge before its content is read.
 *
 * Chromium has no network of its own: every request of its tabs is sent by this process under the crawl's network
 * policy and page cap, redirects included (browser-network.ts).
 *
 * Incremental like the HTTP crawler. A LIST request with validators from the previous crawl (If-None-Match,
 * If-Modified-Since) has its main-frame navigation sent with them. A 304 never reaches chromium (it would show an
 * empty page): the tab gets a blank page and the handler a FetchedPage with status 304, so that what the page led
 * to last time is replayed. Any other answer, a challenge page included, goes to chromium as it came; the
 * challenge's reload is asked conditionally too. The validators travel in userData, not in the request's headers,
 * because Crawlee sets those on every request of the tab (scripts and styles included). Each navigated page's ETag
 * and Last-Modified are taken from its last main-frame answer, for the next crawl.
 *
 * POST list requests (Hanweb's dataproxy.jsp paging) are not navigated — chromium would render the XML answer as
 * a document tree — but sent by browser-network.ts with the browser context's cookies (the answer's go back into
 * the context). When the answer is a challenge all the same (a fresh browser, an expired cookie), the tab passes it
 * on the referring page and the request is sent once more.
 */
import { PlaywrightCrawler, type PlaywrightCrawlingContext } from '@crawlee/playwright';
import { Configuration, Log, LogLevel, type RequestOptions } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import { chromium, type Page } from 'playwright-core';
import { decodeHtml } from '../shared/charset.ts';
import { detectChallenge } from '../shared/anti-bot.ts';
import {
  answerHeadersOf,
  DEFAULT_MAX_PAGE_BYTES,
  MAX_REQUEST_RETRIES,
  pageRequestOf,
  retriesAllowed,
  sourceConcurrency,
  startTimeBudget,
  type CrawlOptions,
  type CrawlState,
  type FailedPageHandler,
  type FetchedPage,
  type PageHandler,
  type RequestData,
} from './page-crawler.ts';
import { BrowserNetwork, isMainNavigation, OFFLINE_CHROMIUM_ARGS, type PolicyAnswer } from './browser-network.ts';
import { PageError, permanentCause } from './errors.ts';
import { MAX_REDIRECTS } from './network-policy.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../shared/chromium.ts';

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

/** Keeps the last main-frame answer of the tab in `responses`. */
function watchMainResponses(page: Page, responses: WeakMap<Page, MainResponse>): void {
  page.on('response', (response) => {
    if (isMainNavigation(response.request(), page)) responses.set(page, mainResponseOf(response));
  });
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

/**
 * Navigates the tab on to where its main-frame answers redirected (browser-network.ts kept the targets, checked),
 * at most MAX_REDIRECTS hops; past them the tab stays on the last redirect's empty page, whose status is recorded.
 * Throws the failure the network kept for the crawled page (a refused hop, an oversized answer).
 */
async function followRedirects(page: Page, network: BrowserNetwork, crawledUrl: string, timeoutMs: number): Promise<void> {
  for (let hop = 0; hop < MAX_REDIRECTS; hop += 1) {
    network.throwIfFailed(crawledUrl);
    const target = network.takeRedirect(page);
    if (!target) return;
    await page.goto(target, { timeout: timeoutMs }).catch((error: unknown) => {
      network.throwIfFailed(crawledUrl);
      throw error;
    });
  }
}

/** Waits until the tab shows something other than a challenge page (or a 304 was noted), and returns its HTML. */
async function passChallenge(
  page: Page,
  last: () => MainResponse,
  notModified: () => boolean,
  maxBytes: number,
  settle: () => Promise<void>,
): Promise<string> {
  const deadline = Date.now() + CHALLENGE_WAIT_MS;
  for (;;) {
    await settle();
    if (notModified()) return '';
    const text = await pageContent(page, maxBytes);
    if (text && !detectChallenge(last().status, text)) return text;
    if (Date.now() > deadline) return text;
    await page.waitForLoadState('load').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

function requestOf({ request }: PlaywrightCrawlingContext): FetchedPage['request'] {
  return pageRequestOf(request, request.retryCount);
}

/** A navigated page once past any redirect and challenge: status 304 when the conditional navigation was not modified. */
async function readNavigatedPage(
  context: PlaywrightCrawlingContext,
  responses: WeakMap<Page, MainResponse>,
  network: BrowserNetwork,
  timeoutMs: number,
  maxBytes: number,
): Promise<Answer> {
  const { page } = context;
  const first = context.response ? mainResponseOf(context.response) : NO_RESPONSE;
  const last = () => responses.get(page) ?? first;
  const unchanged = () => network.notModified(page);
  const settle = () => followRedirects(page, network, context.request.url, timeoutMs);
  const text = await passChallenge(page, last, unchanged, maxBytes, settle);
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

/** Sends the request, not navigated, with the browser context's cookies; the answer's cookies go back into the context. */
async function sendWithoutNavigation(
  { request, page, session, browserController }: PlaywrightCrawlingContext,
  network: BrowserNetwork,
): Promise<PolicyAnswer> {
  const { validators } = request.userData as BrowserRequestData;
  const answer = await network.send(page, {
    url: request.url,
    method: request.method,
    headers: { ...request.headers, ...validators },
    ...(request.payload !== undefined ? { body: request.payload } : {}),
  });
  const cookies = answer.headers.getSetCookie();
  if (cookies.length > 0 && session) {
    session.setCookiesFromResponse({ url: answer.url, headers: { 'set-cookie': cookies } });
    await browserController.setCookies(page, session.getCookies(answer.url));
  }
  return answer;
}

/** Passes a challenge in the tab by visiting `url` (the page that led to the request, or the site root). */
async function passChallengeAt(
  context: PlaywrightCrawlingContext,
  url: string,
  responses: WeakMap<Page, MainResponse>,
  network: BrowserNetwork,
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
    () => followRedirects(page, network, context.request.url, timeoutMs),
  );
}

/** A request that is not navigated (a POST): its answer, asked once more after passing a challenge it met. */
async function fetchWithoutNavigation(
  context: PlaywrightCrawlingContext,
  responses: WeakMap<Page, MainResponse>,
  network: BrowserNetwork,
  timeoutMs: number,
  maxBytes: number,
): Promise<Answer> {
  let answer = await sendWithoutNavigation(context, network);
  // Decoded once here, as pages are (our charset rules), and handed on as text.
  let body = decodeHtml(answer.body, answer.headers.get('content-type')).text;
  if (detectChallenge(answer.status, body)) {
    await passChallengeAt(
      context,
      context.request.headers?.referer ?? new URL('/', context.request.url).href,
      responses,
      network,
      timeoutMs,
      maxBytes,
    );
    answer = await sendWithoutNavigation(context, network);
    body = decodeHtml(answer.body, answer.headers.get('content-type')).text;
  }
  return { request: requestOf(context), loadedUrl: answer.url, status: answer.status, ...answerHeadersOf(answer.headers), body };
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
  const timeoutMs = options.requestTimeoutSecs * 1000;
  const maxBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  const network = new BrowserNetwork(state, options);
  /** A failure the network kept for the crawled page stands for chromium's net::ERR_BLOCKED_BY_CLIENT or net::ERR_FAILED. */
  const failureOf = (url: string, error: Error): Error => network.failureOf(url) ?? error;
  const crawler = new PlaywrightCrawler(
    {
      launchContext: {
        launcher: chromium,
        userAgent: state.userAgent,
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [...CHROMIUM_ARGS, ...OFFLINE_CHROMIUM_ARGS],
          // A service worker's requests would pass the routes (to fail offline all the same). No TLS option: chromium
          // connects nowhere, the source's TLS policy is applied by browser-network.ts's dispatcher.
          serviceWorkers: 'block',
        },
      },
      // Every tab's context is served by the network before the tab makes its first request.
      browserPoolOptions: { useFingerprints: false, postPageCreateHooks: [(page) => network.serve(page.context())] },
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
        ({ page, request }) => {
          watchMainResponses(page, responses);
          network.openTab(page, request.url, (request.userData as BrowserRequestData).validators);
        },
      ],
      requestHandler: async (context) => {
        try {
          const { request, page } = context;
          // Not navigated (a POST): Crawlee runs no navigation hook for it.
          if (request.skipNavigation) network.openTab(page, request.url);
          const answer = request.skipNavigation
            ? await fetchWithoutNavigation(context, responses, network, timeoutMs, maxBytes)
            : await readNavigatedPage(context, responses, network, timeoutMs, maxBytes);
          await handle({ ...answer, addRequests: async (requests) => void (await context.addRequests(requests.map(forBrowser))) });
        } catch (error) {
          markPermanent(context, error);
          throw error;
        }
      },
      // Before a retry (Crawlee counts it afterwards): the HTTP crawler's limits, below Crawlee's maxRequestRetries.
      errorHandler: ({ request }, error) => {
        if (request.retryCount >= retriesAllowed(failureOf(request.url, error))) request.noRetry = true;
      },
      failedRequestHandler: ({ request }, error) =>
        onFailed(request.url, request.userData as RequestData, request.retryCount, failureOf(request.url, error)),
    },
    isolatedConfiguration(),
  );
  // Out of time: one failure for the crawl, and Crawlee stops starting pages.
  const clearBudget = startTimeBudget(state, options, ({ url, code, message }) => {
    state.errors.push({ url, code, message });
    crawler.stop('time budget exceeded');
  });
  try {
    await crawler.run(starts.map(forBrowser));
  } finally {
    clearBudget();
  }
}
