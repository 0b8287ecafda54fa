/**
 * Crawls one source's 年报 column(s): LIST pages (TRS, Hanweb, VSB, JSON APIs, plain) lead to further list
 * pages, sub-columns and report DETAIL pages; detail pages yield the report page (with the URLs of its further
 * parts, when the article runs over several pages) and its attachments. Plain HTTP (http-crawler.ts: a light
 * request loop gated by the process-wide host scheduler, raw bytes, our own charset decoding) by default; a real
 * browser (Crawlee's PlaywrightCrawler) for sources that need one, or — `crawler: auto` — once HTTP meets a JS challenge.
 * Either crawler only fetches: every page it answers, or gives up on, goes through the one flow of handle-page.ts.
 */
import { CrawlError } from './errors.ts';
import { crawlRequest, filterByRobots, handlePage, recordFailedPage } from './handle-page.ts';
import { politenessBudget, unthrottledHostScheduler } from './host-scheduler.ts';
import { crawlWithHttp } from './http-crawler.ts';
import { LIST, sourceDispatcher, type CrawlOptions, type CrawlPageError, type CrawlState } from './page-crawler.ts';
import { CRAWL_STATE_VERSION, knownDocuments, usableState, type SourceCrawlState } from './crawl-state.ts';
import { RobotsPolicy, type RobotsOptions } from './robots.ts';
import type { DiscoveredDocument, Source } from './types.ts';
import { canonicalUrl, QueryVariantCap } from './url-policy.ts';

/** What a crawl found. */
export interface CrawlResult {
  /** Pages that answered (list and detail pages, whatever their status). */
  pagesFetched: number;
  /** Report pages and attachments, one per URL. */
  discovered: DiscoveredDocument[];
  errors: CrawlPageError[];
  /** Pages answered with an anti-bot challenge (also in errors, code BLOCKED). */
  blocked: number;
  /** Which crawler did the work: http, or browser (also when `auto` switched). */
  crawler: 'http' | 'browser';
  /** List pages that answered 304 Not Modified: what they led to last time was replayed. */
  pagesNotModified: number;
  /** Detail pages known from the previous state and therefore not requested: their documents were replayed. */
  pagesSkipped: number;
  /**
   * URLs of discovered documents reached only through list pages that answered 304 Not Modified (and the known
   * detail pages behind them): by the portal's own validators nothing on the way to them changed. A document also
   * reached through a page that answered in full is not among them.
   */
  unchanged: string[];
  /**
   * Documents of the previous state that this crawl no longer found (empty after a cold crawl, or when the crawl
   * stopped at maxPages and so may not have seen everything). Documents under pages that failed transiently count
   * as still there.
   */
  disappeared: DiscoveredDocument[];
  /** The state to pass as `previousState` to the next crawl of this source. */
  state: SourceCrawlState;
}

const DEFAULT_MAX_DEPTH = 6;

/**
 * Crawls a source and returns the report documents it links. Failures of single pages land in `errors`;
 * only when every start URL fails does it throw a CrawlError (retryable for 5xx, timeouts and anti-bot pages).
 */
export async function crawlSource(source: Source, options: CrawlOptions, previousState?: SourceCrawlState | null): Promise<CrawlResult> {
  const kind = source.crawler ?? 'cheerio';
  const previous = usableState(previousState, source.id);
  const crawl = (mode: 'http' | 'browser') => runCrawl(source, options, mode, previous);
  if (kind === 'playwright') return finish(await crawl('browser'), options, 'browser');
  const state = await crawl('http');
  if (kind === 'auto' && state.blocked > 0) return finish(await crawl('browser'), options, 'browser');
  return finish(state, options, 'http');
}

async function runCrawl(
  source: Source,
  options: CrawlOptions,
  mode: 'http' | 'browser',
  previous: SourceCrawlState | null,
): Promise<CrawlState> {
  const state = newState(source, options, previous);
  const starts = source.startUrls.map((url) => crawlRequest(state, { url, method: 'GET' }, LIST, { isStart: true, depth: 0 }));
  // The browser crawler (Crawlee, Playwright) is loaded only by a process that needs it: it costs a plain-HTTP worker ~100 MB.
  const run = mode === 'http' ? crawlWithHttp : (await import('./browser-crawler.ts')).crawlWithBrowser;
  await run(
    state,
    options,
    await filterByRobots(state, starts),
    (page) => handlePage(state, page).finally(() => reportProgress(state, options)),
    (url, data, retries, error) => {
      recordFailedPage(state, url, data, retries, error);
      reportProgress(state, options);
    },
  );
  return state;
}

/** Tells options.onProgress the crawl's figures so far; a hook that throws does not stop the crawl. */
function reportProgress(state: CrawlState, options: CrawlOptions): void {
  try {
    options.onProgress?.({
      pagesRead: state.pagesFetched,
      listPages: state.listPagesFetched,
      documentsFound: state.discovered.size,
      failures: state.errors.length,
    });
  } catch {
    // Progress is a courtesy to whoever watches; the crawl goes on.
  }
}

function finish(state: CrawlState, options: CrawlOptions, crawler: 'http' | 'browser'): CrawlResult {
  throwIfEveryStartFailed(state);
  return {
    pagesFetched: state.pagesFetched,
    discovered: [...state.discovered.values()],
    errors: state.errors,
    blocked: state.blocked,
    crawler,
    pagesNotModified: state.pagesNotModified,
    pagesSkipped: state.pagesSkipped,
    unchanged: [...state.discovered.keys()].filter((url) => !state.reachedFresh.has(url)),
    disappeared: disappearedDocuments(state, options),
    state: {
      version: CRAWL_STATE_VERSION,
      sourceId: state.source.id,
      crawledAt: new Date().toISOString(),
      pages: Object.fromEntries(state.pages),
    },
  };
}

/**
 * Previously known documents neither found nor vouched for now; none when the crawl hit maxPages or its time budget
 * (it may have missed some).
 */
function disappearedDocuments(state: CrawlState, options: CrawlOptions): DiscoveredDocument[] {
  if (state.pagesFetched >= options.maxPages || state.budgetExceeded) return [];
  const known = knownDocuments(state.previous);
  return [...known.values()].filter((document) => !state.discovered.has(document.url) && !state.carried.has(document.url));
}

function newState(source: Source, options: CrawlOptions, previous: SourceCrawlState | null): CrawlState {
  const obeyRobots = (source.politeness?.robots ?? 'obey') === 'obey';
  return {
    source,
    userAgent: options.userAgent,
    allowedHosts: new Set(source.allowedHosts.length > 0 ? source.allowedHosts : source.startUrls.map((url) => new URL(url).host)),
    maxDepth: source.hints?.maxDepth ?? DEFAULT_MAX_DEPTH,
    variants: new QueryVariantCap(options.maxQueryVariants ?? 40),
    robots: obeyRobots ? new RobotsPolicy(robotsOptions(source, options), robotsGate(source, options)) : null,
    pagesFetched: 0,
    listPagesFetched: 0,
    blocked: 0,
    discovered: new Map(),
    errors: [],
    startFailures: new Map(),
    previous,
    pages: new Map(),
    pagesNotModified: 0,
    pagesSkipped: 0,
    carried: new Set(),
    reachedFresh: new Set(),
    budgetExceeded: false,
  };
}

function robotsOptions(source: Source, options: CrawlOptions): RobotsOptions {
  return {
    userAgent: options.userAgent,
    timeoutMs: options.requestTimeoutSecs * 1000,
    dispatcher: sourceDispatcher(source, options),
  };
}

/** robots.txt is a request to the host like any other: it waits for the host's turn too. */
function robotsGate(source: Source, options: CrawlOptions): <T>(url: string, task: () => Promise<T>) => Promise<T> {
  const hosts = options.hosts ?? unthrottledHostScheduler();
  return (url, task) => hosts.run(url, politenessBudget(source.politeness), task);
}

function throwIfEveryStartFailed(state: CrawlState): void {
  const { startUrls } = state.source;
  const failures = startUrls.map((url) => state.startFailures.get(canonicalUrl(url)) ?? state.startFailures.get(url));
  if (startUrls.length === 0 || failures.some((failure) => !failure)) return;
  const first = failures[0]!;
  throw new CrawlError(`start URL ${first.url} of source ${state.source.id} failed: ${first.message}`, {
    code: first.code,
    retryable: first.retryable,
    url: first.url,
  });
}
