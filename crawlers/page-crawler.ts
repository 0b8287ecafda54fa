/**
 * What the crawl (crawl-source.ts) and its two page fetchers (http-crawler.ts, browser-crawler.ts) share: the crawl's
 * options and mutable state, what a request carries, the answered page handed back, and the rules both fetchers
 * apply alike (retries, the time budget, the source's dispatcher, an answer's validators).
 */
import type { RequestOptions } from '@crawlee/http';
import type { Dispatcher } from 'undici';
import type { SourceCrawlState, PageMemo } from './crawl-state.ts';
import type { RobotsPolicy } from './robots.ts';
import type { DiscoveredDocument, Source } from './types.ts';
import type { QueryVariantCap } from './url-policy.ts';
import type { HostScheduler } from './host-scheduler.ts';
import { networkPolicyOf, policyDispatcher, type NetworkPolicy } from './network-policy.ts';
import { isCertificateError, networkErrorCode, PageError, permanentCause } from './errors.ts';

/**
 * How to crawl; the job layer passes these from the configuration. The network policy (allowPrivateNetworks) is
 * required, so that every caller decides: only the demo, tests and benches on 127.0.0.1 allow private networks.
 */
export interface CrawlOptions extends NetworkPolicy {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Most pages (list + detail) fetched in this crawl; further ones are skipped. */
  maxPages: number;
  /** Timeout of one request, body included, in seconds. */
  requestTimeoutSecs: number;
  /** Largest page read, in bytes after decompression; a larger one fails as PAGE_TOO_LARGE. Default 4 MB. */
  maxPageBytes?: number;
  /** Longest a connection may stay silent, in seconds. Default 15. */
  idleTimeoutSecs?: number;
  /** Longest the whole crawl may run, in seconds; then it stops with what it found (SOURCE_BUDGET_EXCEEDED). Default: none. */
  budgetSecs?: number;
  /** Most requests in flight at once (a source's politeness.concurrencyPerHost lowers it). */
  concurrency: number;
  /** Most distinct query strings fetched for one path (a calendar or session-id trap). Default 40. */
  maxQueryVariants?: number;
  /**
   * The process-wide host scheduler every plain-HTTP request (robots.txt included) waits on: per-host concurrency and
   * delay, a global cap, hosts in turn. Default: an unthrottled one (tests, one-off crawls).
   */
  hosts?: HostScheduler;
  /**
   * Called after every page that answered or failed for good, with the crawl's figures so far (plain data; the job
   * layer throttles it into the job's progress). Must be quick; an exception it throws is ignored. Default: none.
   */
  onProgress?: (progress: CrawlProgress) => void;
}

/** A crawl's figures so far, as CrawlOptions.onProgress hears them. */
export interface CrawlProgress {
  /** Pages that answered (list and detail pages, whatever their status). */
  pagesRead: number;
  /** List pages among them. */
  listPages: number;
  /** Report pages and attachments found, one per URL. */
  documentsFound: number;
  /** Pages that failed (CrawlResult.errors so far). */
  failures: number;
}

/** A page that failed during a crawl (the crawl went on without it). */
export interface CrawlPageError {
  url: string;
  /**
   * HTTP_<status>, BLOCKED (anti-bot page), TIMEOUT, NETWORK (and the other network causes of errors.ts), SOFT_404
   * (a 200 saying 页面不存在), MOVED_TO_HOMEPAGE (a start URL redirected to the site root), ROBOTS_DISALLOWED,
   * TLS_CERTIFICATE (an untrusted certificate, under the strict TLS policy), ADDRESS_REFUSED (a private address, see
   * network-policy.ts), REDIRECT_OFF_SITE, PAGE_TOO_LARGE, INVALID_URL, SOURCE_BUDGET_EXCEEDED, or PAGE_FAILED.
   */
  code: string;
  message: string;
}

export const LIST = 'LIST' as const;
export const DETAIL = 'DETAIL' as const;

/** What a request carries between pages. */
export interface RequestData {
  /** The page's key in the crawl state (see crawl-state.ts pageKey). */
  key?: string;
  isStart?: boolean;
  /** Sub-column depth from the start URL. */
  depth?: number;
  /** DETAIL: what the list page said about the report. */
  title?: string;
  publishedAt?: string | null;
  foundOn?: string;
  titleUnconfirmed?: boolean;
}

/** A start URL that failed, and whether trying again later may help. */
export interface StartFailure extends CrawlPageError {
  retryable: boolean;
}

/** Mutable findings of one crawl. */
export interface CrawlState {
  source: Source;
  userAgent: string;
  allowedHosts: Set<string>;
  maxDepth: number;
  variants: QueryVariantCap;
  robots: RobotsPolicy | null;
  pagesFetched: number;
  /** List pages among pagesFetched. */
  listPagesFetched: number;
  blocked: number;
  discovered: Map<string, DiscoveredDocument>;
  errors: CrawlPageError[];
  startFailures: Map<string, StartFailure>;
  /** The previous crawl's state (null: a cold crawl). */
  previous: SourceCrawlState | null;
  /** The state being built: pages answered (or replayed) in this crawl. */
  pages: Map<string, PageMemo>;
  pagesNotModified: number;
  pagesSkipped: number;
  /** URLs of documents vouched for by pages that failed transiently this time. */
  carried: Set<string>;
  /** URLs of documents reached through a page that answered in full this time (see CrawlResult.unchanged). */
  reachedFresh: Set<string>;
  /** Set when the crawl ran out of its time budget: it may not have seen everything. */
  budgetExceeded: boolean;
}

/** One answered page, whichever crawler fetched it. */
export interface FetchedPage {
  request: { url: string; method: 'GET' | 'POST'; payload?: string; label: string; userData: RequestData; retryCount: number };
  /** URL after redirects. */
  loadedUrl: string;
  status: number;
  contentType: string | null;
  retryAfter?: string;
  /** Validators of the answer, kept for the next crawl's conditional request. */
  etag?: string | null;
  lastModified?: string | null;
  /** Raw bytes (HTTP) or the rendered document (browser). */
  body: Buffer | string;
  addRequests(requests: RequestOptions[]): Promise<void>;
}

/** Handles an answered page; throwing makes the crawler retry it. */
export type PageHandler = (page: FetchedPage) => Promise<void>;
/** Records a page that failed for good (after retries). */
export type FailedPageHandler = (url: string, data: RequestData, retryCount: number, error: Error) => void;

/** Retries of a page after a 5xx, 429 or reset (4xx and anti-bot pages are not retried). */
export const MAX_REQUEST_RETRIES = 3;
/** Retries of a page after a timeout: a page that dribbled for a whole timeout rarely does better twice. */
export const MAX_TIMEOUT_RETRIES = 1;
/** Default of CrawlOptions.maxPageBytes. */
export const DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024;

/** Requests in flight for this source: the crawl's concurrency, lowered by the source's politeness. */
export function sourceConcurrency(state: CrawlState, options: CrawlOptions): number {
  return Math.max(1, Math.min(options.concurrency, state.source.politeness?.concurrencyPerHost ?? options.concurrency));
}

/** A request as an answered page carries it, from a queued request (HTTP) or Crawlee's (browser). */
export function pageRequestOf(
  request: { url: string; method?: string; payload?: unknown; label?: string | undefined; userData?: unknown },
  retryCount: number,
): FetchedPage['request'] {
  return {
    url: request.url,
    method: request.method === 'POST' ? 'POST' : 'GET',
    ...(request.payload !== undefined ? { payload: String(request.payload) } : {}),
    label: request.label ?? '',
    userData: (request.userData ?? {}) as RequestData,
    retryCount,
  };
}

/** What an answer's headers tell the page handler: its content type, Retry-After and validators for the next crawl. */
export function answerHeadersOf(headers: {
  get(name: string): string | null;
}): Pick<FetchedPage, 'contentType' | 'retryAfter' | 'etag' | 'lastModified'> {
  const retryAfter = headers.get('retry-after');
  return {
    contentType: headers.get('content-type'),
    ...(retryAfter !== null ? { retryAfter } : {}),
    etag: headers.get('etag'),
    lastModified: headers.get('last-modified'),
  };
}

/**
 * How many times a page that failed with `error` may be retried: never after a refusal or an untrusted certificate,
 * MAX_TIMEOUT_RETRIES after a timeout, else MAX_REQUEST_RETRIES.
 */
export function retriesAllowed(error: Error): number {
  if (permanentCause(error) || isCertificateError(error)) return 0;
  return networkErrorCode(error) === 'TIMEOUT' ? MAX_TIMEOUT_RETRIES : MAX_REQUEST_RETRIES;
}

/**
 * Starts the crawl's time budget (CrawlOptions.budgetSecs): when it runs out the crawl is marked budgetExceeded and
 * `onExceeded` hears the SOURCE_BUDGET_EXCEEDED failure to stop on. Returns the function that clears it.
 */
export function startTimeBudget(state: CrawlState, options: CrawlOptions, onExceeded: (failure: PageError) => void): () => void {
  const { budgetSecs } = options;
  if (budgetSecs === undefined) return () => undefined;
  const timer = setTimeout(() => {
    state.budgetExceeded = true;
    const message = `the crawl of source ${state.source.id} ran out of its ${budgetSecs} s time budget (sourceBudgetSecs); pages not yet read were skipped`;
    onExceeded(new PageError(message, { code: 'SOURCE_BUDGET_EXCEEDED', retryable: false, url: state.source.startUrls[0] ?? '' }));
  }, budgetSecs * 1000);
  return () => clearTimeout(timer);
}

/** The dispatcher of the source's plain-HTTP requests (pages and robots.txt): the network policy and the source's TLS policy. */
export function sourceDispatcher(source: Source, options: CrawlOptions): Dispatcher {
  return policyDispatcher({
    ...networkPolicyOf(options),
    ...(source.tls ? { tls: source.tls } : {}),
    ...(options.idleTimeoutSecs ? { idleTimeoutSecs: options.idleTimeoutSecs } : {}),
  });
}
