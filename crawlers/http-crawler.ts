/**
 * The plain-HTTP crawler: Crawlee's HttpCrawler hands over raw bytes (decoding is ours: a GBK page labelled
 * only in <meta> would come out garbled otherwise), per-source politeness, TLS policy, silent logs.
 */
import { Configuration, HttpCrawler, Log, LogLevel, type HttpCrawlingContext, type RequestOptions } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import type { CrawlOptions, CrawlState, RequestData } from './crawl-source.ts';

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

/** Statuses our handler sees (instead of Crawlee's own error): WAF statuses, and those we retry honouring Retry-After. */
const HANDLED_ERROR_STATUSES = [412, 429, 500, 502, 503, 504, 521];

/** A fresh Crawlee configuration with in-memory storage: crawls running at once share nothing. */
export function isolatedConfiguration(): Configuration {
  const storageClient = new MemoryStorage({ persistStorage: false, writeMetadata: false });
  return new Configuration({ persistStorage: false, storageClient, purgeOnStart: true });
}

/** Requests in flight for this source: the crawl's concurrency, lowered by the source's politeness. */
export function sourceConcurrency(state: CrawlState, options: CrawlOptions): number {
  return Math.max(1, Math.min(options.concurrency, state.source.politeness?.concurrencyPerHost ?? options.concurrency));
}

function toPage(context: HttpCrawlingContext): FetchedPage {
  const { request, response } = context;
  const retryAfter = response.headers['retry-after'];
  return {
    request: {
      url: request.url,
      method: request.method === 'POST' ? 'POST' : 'GET',
      ...(request.payload ? { payload: String(request.payload) } : {}),
      label: request.label ?? '',
      userData: request.userData as RequestData,
      retryCount: request.retryCount,
    },
    loadedUrl: request.loadedUrl ?? request.url,
    status: response.statusCode ?? 0,
    contentType: response.headers['content-type'] ?? null,
    ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
    etag: response.headers.etag ?? null,
    lastModified: response.headers['last-modified'] ?? null,
    body: context.body as Buffer,
    addRequests: async (requests) => void (await context.addRequests(requests)),
  };
}

/** Crawls from `starts` over plain HTTP until no request is left or maxPages is reached. */
export async function crawlWithHttp(
  state: CrawlState,
  options: CrawlOptions,
  starts: RequestOptions[],
  handle: PageHandler,
  onFailed: FailedPageHandler,
): Promise<void> {
  const crawler = new HttpCrawler(
    {
      maxRequestsPerCrawl: options.maxPages,
      maxConcurrency: sourceConcurrency(state, options),
      sameDomainDelaySecs: (state.source.politeness?.delayMs ?? 0) / 1000,
      navigationTimeoutSecs: options.requestTimeoutSecs,
      requestHandlerTimeoutSecs: options.requestTimeoutSecs + 40,
      maxRequestRetries: MAX_REQUEST_RETRIES,
      ignoreSslErrors: state.source.tls === 'ignore',
      useSessionPool: false,
      persistCookiesPerSession: false,
      forceResponseEncoding: 'utf8',
      additionalMimeTypes: ['*/*'],
      ignoreHttpErrorStatusCodes: HANDLED_ERROR_STATUSES,
      log: new Log({ level: LogLevel.OFF, prefix: `crawl ${state.source.id}` }),
      requestHandler: async (context) => handle(toPage(context as unknown as HttpCrawlingContext)),
      failedRequestHandler: ({ request }, error) => onFailed(request.url, request.userData as RequestData, request.retryCount, error),
    },
    isolatedConfiguration(),
  );
  await crawler.run(starts);
}
