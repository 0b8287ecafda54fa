/**
 * The browser crawler: Crawlee's PlaywrightCrawler on the system chromium, for lists drawn by JavaScript and
 * for JS cookie challenges (a 412/521 page whose script sets a cookie and reloads): the page is given a few
 * seconds to pass the challenge before its content is read.
 */
import { PlaywrightCrawler, type PlaywrightCrawlingContext } from '@crawlee/playwright';
import { Log, LogLevel, type RequestOptions } from '@crawlee/http';
import { chromium, type Response as PlaywrightResponse } from 'playwright-core';
import { detectChallenge } from './anti-bot.ts';
import type { CrawlOptions, CrawlState, RequestData } from './crawl-source.ts';
import { isolatedConfiguration, MAX_REQUEST_RETRIES, sourceConcurrency, type FailedPageHandler, type FetchedPage, type PageHandler } from './http-crawler.ts';

/** Where Debian installs chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
/** How long a challenge page may take to set its cookie and reload, in milliseconds. */
const CHALLENGE_WAIT_MS = 8000;

/** The last main-frame navigation answer of a page (the reload after a challenge replaces the first). */
interface MainResponse {
  status: number;
  contentType: string | null;
  url: string;
}

async function passChallenge(context: PlaywrightCrawlingContext, last: () => MainResponse): Promise<string> {
  const deadline = Date.now() + CHALLENGE_WAIT_MS;
  for (;;) {
    const text = await context.page.content().catch(() => '');
    if (text && !detectChallenge(last().status, text)) return text;
    if (Date.now() > deadline) return text;
    await context.page.waitForLoadState('load').catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Crawls from `starts` in chromium until no request is left or maxPages is reached. */
export async function crawlWithBrowser(
  state: CrawlState,
  options: CrawlOptions,
  starts: RequestOptions[],
  handle: PageHandler,
  onFailed: FailedPageHandler,
): Promise<void> {
  const responses = new WeakMap<object, MainResponse>();
  const crawler = new PlaywrightCrawler(
    {
      launchContext: {
        launcher: chromium,
        userAgent: state.userAgent,
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, ...(options.browserProxy ? { proxy: options.browserProxy } : {}) },
      },
      browserPoolOptions: { useFingerprints: false },
      headless: true,
      maxRequestsPerCrawl: options.maxPages,
      maxConcurrency: Math.min(2, sourceConcurrency(state, options)),
      sameDomainDelaySecs: (state.source.politeness?.delayMs ?? 0) / 1000,
      navigationTimeoutSecs: options.requestTimeoutSecs,
      requestHandlerTimeoutSecs: options.requestTimeoutSecs + CHALLENGE_WAIT_MS / 1000 + 30,
      maxRequestRetries: MAX_REQUEST_RETRIES,
      useSessionPool: true,
      // A challenge status must reach the handler, which waits for the script's reload, not retire the session.
      sessionPoolOptions: { blockedStatusCodes: [] },
      persistCookiesPerSession: true,
      log: new Log({ level: LogLevel.OFF, prefix: `browser ${state.source.id}` }),
      preNavigationHooks: [
        async ({ page }) => {
          page.on('response', (response: PlaywrightResponse) => {
            if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
              responses.set(page, { status: response.status(), contentType: response.headers()['content-type'] ?? null, url: response.url() });
            }
          });
        },
      ],
      requestHandler: async (context) => {
        const first = { status: context.response?.status() ?? 0, contentType: context.response?.headers()['content-type'] ?? null, url: context.page.url() };
        const last = () => responses.get(context.page) ?? first;
        const text = await passChallenge(context, last);
        const { request } = context;
        const page: FetchedPage = {
          request: { url: request.url, method: 'GET', label: request.label ?? '', userData: request.userData as RequestData, retryCount: request.retryCount },
          loadedUrl: context.page.url(),
          status: last().status,
          contentType: last().contentType,
          body: text,
          addRequests: async (requests) => void (await context.addRequests(requests.filter((next) => (next.method ?? 'GET') === 'GET'))),
        };
        await handle(page);
      },
      failedRequestHandler: ({ request }, error) => onFailed(request.url, request.userData as RequestData, request.retryCount, error),
    },
    isolatedConfiguration(),
  );
  await crawler.run(starts);
}
