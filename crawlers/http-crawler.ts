/**
 * The plain-HTTP crawler: a small request loop on undici, every request gated by the process-wide host scheduler
 * (crawlers/host-scheduler.ts). Raw bytes are handed over (decoding is ours: a GBK page labelled only in <meta> would
 * come out garbled otherwise).
 *
 * Why not Crawlee's HttpCrawler, which this replaced: a national crawl keeps hundreds of sources in flight per worker
 * (long per-host delays), and each HttpCrawler brings its own storage, autoscaled pool and system-status polling —
 * measured here, 200 crawlers at once peaked at 3.5 GB RSS and 20 s CPU for 1,000 pages. This loop keeps what the
 * crawl needs from it: a FIFO queue deduplicated by uniqueKey, maxPages, retries of 5xx/429/network errors, timeouts,
 * redirects (kept on the source's hosts), the TLS policy, the network policy (network-policy.ts), a page-size cap and
 * a time budget. The browser crawler (browser-crawler.ts) stays on Crawlee.
 */
import type { RequestOptions } from '@crawlee/http';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { Response } from 'undici';
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
import { readCapped } from './capped-body.ts';
import { isCertificateError, networkErrorCode, PageError, permanentCause } from './errors.ts';
import { politenessBudget, unthrottledHostScheduler } from './host-scheduler.ts';
import { fetchFollowing, networkPolicyOf, policyDispatcher, sameSiteAs } from './network-policy.ts';
import { unfetchableReason } from './url-policy.ts';

/**
 * A DETAIL link answering with a file (PDF, Word) is not read at all: its content type says it is a document, and
 * the fetch stage downloads it. Pages are read up to CrawlOptions.maxPageBytes.
 */
const TEXTUAL_TYPE = /html|xml|text|json|javascript/i;

interface QueuedRequest {
  url: string;
  method: 'GET' | 'POST';
  payload?: string;
  headers: Record<string, string>;
  label: string;
  userData: RequestData;
  retryCount: number;
}

function queued(options: RequestOptions): QueuedRequest {
  return {
    url: options.url,
    method: options.method === 'POST' ? 'POST' : 'GET',
    ...(options.payload !== undefined ? { payload: String(options.payload) } : {}),
    headers: { ...(options.headers as Record<string, string> | undefined) },
    label: options.label ?? '',
    userData: (options.userData ?? {}) as RequestData,
    retryCount: 0,
  };
}

/** Crawls from `starts` over plain HTTP until no request is left or maxPages requests have been made. */
export function crawlWithHttp(
  state: CrawlState,
  options: CrawlOptions,
  starts: RequestOptions[],
  handle: PageHandler,
  onFailed: FailedPageHandler,
): Promise<void> {
  const queue: QueuedRequest[] = [];
  const seen = new Set<string>();
  const parallel = sourceConcurrency(state, options);
  let started = 0;
  let inFlight = 0;
  const budget = budgetSignal(state, options);
  return new Promise((resolve) => {
    const enqueue = (requests: RequestOptions[]) => {
      for (const request of requests) {
        const key = request.uniqueKey ?? request.url;
        if (seen.has(key)) continue;
        seen.add(key);
        queue.push(queued(request));
      }
    };
    const pump = () => {
      if (budget.signal.aborted) dropQueued(state, queue.splice(0), budget.signal.reason as PageError, onFailed);
      while (inFlight < parallel && queue.length > 0 && started < options.maxPages) {
        const request = queue.shift()!;
        started += 1;
        inFlight += 1;
        const addRequests = async (more: RequestOptions[]) => {
          enqueue(more);
          pump();
        };
        void processRequest(state, options, request, handle, onFailed, addRequests, budget.signal).finally(() => {
          inFlight -= 1;
          pump();
        });
      }
      if (inFlight === 0) {
        budget.clear();
        resolve();
      }
    };
    enqueue(starts);
    pump();
  });
}

/** The crawl's time budget: its signal aborts (with SOURCE_BUDGET_EXCEEDED) when CrawlOptions.budgetSecs have passed. */
function budgetSignal(state: CrawlState, options: CrawlOptions): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  if (options.budgetSecs === undefined) return { signal: controller.signal, clear: () => undefined };
  const url = state.source.startUrls[0] ?? '';
  const timer = setTimeout(() => {
    state.budgetExceeded = true;
    const message = `the crawl of source ${state.source.id} ran out of its ${options.budgetSecs} s time budget (sourceBudgetSecs); pages not yet read were skipped`;
    controller.abort(new PageError(message, { code: 'SOURCE_BUDGET_EXCEEDED', retryable: false, url }));
  }, options.budgetSecs * 1000);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Requests left in the queue when the budget ran out: one failure for the crawl, and each start URL's own. */
function dropQueued(state: CrawlState, dropped: QueuedRequest[], reason: PageError, onFailed: FailedPageHandler): void {
  for (const request of dropped.filter((candidate) => candidate.userData.isStart)) onFailed(request.url, request.userData, 0, reason);
  const others = dropped.filter((candidate) => !candidate.userData.isStart).length;
  if (others > 0) state.errors.push({ url: reason.url, code: reason.code, message: `${reason.message} (${others} queued pages)` });
}

/** Requests a page and hands it over, retrying transient failures; a page that fails for good goes to `onFailed`. */
async function processRequest(
  state: CrawlState,
  options: CrawlOptions,
  request: QueuedRequest,
  handle: PageHandler,
  onFailed: FailedPageHandler,
  addRequests: (requests: RequestOptions[]) => Promise<void>,
  budget: AbortSignal,
): Promise<void> {
  const invalid = unfetchableReason(request.url);
  if (invalid)
    return onFailed(request.url, request.userData, 0, new PageError(invalid, { code: 'INVALID_URL', retryable: false, url: request.url }));
  for (;;) {
    try {
      const page = await requestPage(state, options, request, budget);
      // Hundreds of crawls share a process: without a turn of the event loop between pages, a burst of answers is
      // parsed in one long chain of microtasks, and the queue's lock renewals (timers, Redis replies) wait behind it.
      await nextTurnOfEventLoop();
      await handle({ ...page, addRequests });
      return;
    } catch (error) {
      const failure = budget.aborted ? (budget.reason as Error) : error instanceof Error ? error : new Error(String(error));
      if (!isRetryable(failure) || request.retryCount >= retriesOf(failure))
        return onFailed(request.url, request.userData, request.retryCount, failure);
      request.retryCount += 1;
    }
  }
}

/** A page handler's retryable error (5xx, 429), a timeout or a dropped connection; not a refusal, not an untrusted certificate. */
function isRetryable(error: Error): boolean {
  if (permanentCause(error)) return false;
  if ((error as { retryable?: unknown }).retryable === true) return true;
  return !isCertificateError(error) && networkErrorCode(error) !== null;
}

function retriesOf(error: Error): number {
  return networkErrorCode(error) === 'TIMEOUT' ? MAX_TIMEOUT_RETRIES : MAX_REQUEST_RETRIES;
}

/**
 * One request through the host scheduler (the slot is held until the body has been read), under the network
 * policy, redirects kept on the source's hosts or their registered domains.
 */
async function requestPage(
  state: CrawlState,
  options: CrawlOptions,
  request: QueuedRequest,
  budget: AbortSignal,
): Promise<Omit<FetchedPage, 'addRequests'>> {
  const hosts = options.hosts ?? unthrottledHostScheduler();
  return hosts.run(request.url, politenessBudget(state.source.politeness), async () => {
    const dispatcher = policyDispatcher({
      ...networkPolicyOf(options),
      ...(state.source.tls ? { tls: state.source.tls } : {}),
      ...(options.idleTimeoutSecs ? { idleTimeoutSecs: options.idleTimeoutSecs } : {}),
    });
    const { response, finalUrl } = await fetchFollowing(
      request.url,
      {
        method: request.method,
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...request.headers },
        ...(request.payload !== undefined ? { body: request.payload } : {}),
        signal: AbortSignal.any([AbortSignal.timeout(options.requestTimeoutSecs * 1000), budget]),
        dispatcher,
      },
      sameSiteAs(state.allowedHosts),
    );
    const header = (name: string) => response.headers.get(name);
    const contentType = header('content-type');
    // Only a DETAIL link may turn out to be a file (crawl-source.ts documentKindOfResponse); its bytes are fetch's business.
    const isPage = !contentType || TEXTUAL_TYPE.test(contentType) || response.status !== 200 || request.label !== 'DETAIL';
    const retryAfter = header('retry-after');
    return {
      request: { ...request },
      loadedUrl: finalUrl,
      status: response.status,
      contentType,
      ...(retryAfter !== null ? { retryAfter } : {}),
      etag: header('etag'),
      lastModified: header('last-modified'),
      body: isPage ? await readPage(response, request.url, options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES) : await skipBody(response),
    };
  });
}

/** A page's bytes; one past the cap fails as PAGE_TOO_LARGE, having held at most the cap in memory. */
async function readPage(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const { bytes, complete, received } = await readCapped(response, maxBytes);
  if (complete) return bytes;
  throw new PageError(`${url} is larger than the ${maxBytes}-byte page limit (maxPageBytes; ${received} bytes seen, after decompression)`, {
    code: 'PAGE_TOO_LARGE',
    retryable: false,
    url,
  });
}

async function skipBody(response: Response): Promise<Buffer> {
  await response.body?.cancel().catch(() => undefined);
  return Buffer.alloc(0);
}
