/**
 * What the crawl (crawl-source.ts) and its two page fetchers (http-crawler.ts, browser-crawler.ts) share: the crawl's
 * options and mutable state, what a request carries, and the answered page handed back.
 */
import type { RequestOptions } from '@crawlee/http';
import type { SourceCrawlState, PageMemo } from './crawl-state.ts';
import type { RobotsPolicy } from './robots.ts';
import type { DiscoveredDocument, Source } from './types.ts';
import type { QueryVariantCap } from './url-policy.ts';
import type { HostScheduler } from './host-scheduler.ts';

/** How to crawl; the job layer passes these from the configuration. */
export interface CrawlOptions {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Most pages (list + detail) fetched in this crawl; further ones are skipped. */
  maxPages: number;
  /** Timeout of one request, in seconds. */
  requestTimeoutSecs: number;
  /** Most requests in flight at once (a source's politeness.concurrencyPerHost lowers it). */
  concurrency: number;
  /** Proxy for the browser (tests: an unreachable one, so that chromium cannot call home). */
  browserProxy?: { server: string; bypass?: string };
  /** Most distinct query strings fetched for one path (a calendar or session-id trap). Default 40. */
  maxQueryVariants?: number;
  /**
   * The process-wide host scheduler every plain-HTTP request (robots.txt included) waits on: per-host concurrency and
   * delay, a global cap, hosts in turn. Default: an unthrottled one (tests, one-off crawls).
   */
  hosts?: HostScheduler;
}

/** A page that failed during a crawl (the crawl went on without it). */
export interface CrawlPageError {
  url: string;
  /**
   * HTTP_<status>, BLOCKED (anti-bot page), TIMEOUT, NETWORK, SOFT_404 (a 200 saying 页面不存在),
   * MOVED_TO_HOMEPAGE (a start URL redirected to the site root), ROBOTS_DISALLOWED, TLS_CERTIFICATE (an untrusted
   * certificate, under the strict TLS policy), or PAGE_FAILED.
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

/** Retries of a page after a 5xx, 429, timeout or reset (4xx and anti-bot pages are not retried). */
export const MAX_REQUEST_RETRIES = 3;

/** Requests in flight for this source: the crawl's concurrency, lowered by the source's politeness. */
export function sourceConcurrency(state: CrawlState, options: CrawlOptions): number {
  return Math.max(1, Math.min(options.concurrency, state.source.politeness?.concurrencyPerHost ?? options.concurrency));
}
