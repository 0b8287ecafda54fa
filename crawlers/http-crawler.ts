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
  answerHeadersOf,
  DEFAULT_MAX_PAGE_BYTES,
  pageRequestOf,
  retriesAllowed,
  sourceConcurrency,
  sourceDispatcher,
  startTimeBudget,
  type CrawlOptions,
  type CrawlState,
  type FailedPageHandler,
  type FetchedPage,
  type PageHandler,
} from './page-crawler.ts';
import { readPageCapped } from './capped-body.ts';
import { isCertificateError, networkErrorCode, PageError, permanentCause } from './errors.ts';
import { politenessBudget, unthrottledHostScheduler } from './host-scheduler.ts';
import { fetchFollowing, sameSiteAs } from './network-policy.ts';
import { unfetchableReason } from './url-policy.ts';

/**
 * A DETAIL link answering with a file (PDF, Word) is not read at all: its content type says it is a document, and
 * the fetch stage downloads it. Pages are read up to CrawlOptions.maxPageBytes.
 */
const TEXTUAL_TYPE = /html|xml|text|json|javascript/i;

/** A request waiting in the loop's queue: as the page handler will see it, with the headers to send. */
type QueuedRequest = FetchedPage['request'] & { headers: Record<string, string> };

function queued(options: RequestOptions): QueuedRequest {
  return { ...pageRequestOf(options, 0), headers: { ...(options.headers as Record<string, string> | undefined) } };
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

/** The crawl's time budget as a signal: it aborts in-flight requests (with SOURCE_BUDGET_EXCEEDED) when it runs out. */
function budgetSignal(state: CrawlState, options: CrawlOptions): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const clear = startTimeBudget(state, options, (failure) => controller.abort(failure));
  return { signal: controller.signal, clear };
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
      if (!isRetryable(failure) || request.retryCount >= retriesAllowed(failure))
        return onFailed(request.url, request.userData, request.retryCount, failure);
      request.retryCount += 1;
    }
  }
}

/**
 * A page handler's retryable error (5xx, 429), a timeout or a dropped connection; not a refusal, not an untrusted
 * certificate. Unlike Crawlee, which retries any error, the loop does not retry what it does not know to be transient.
 */
function isRetryable(error: Error): boolean {
  if (permanentCause(error)) return false;
  if ((error as { retryable?: unknown }).retryable === true) return true;
  return !isCertificateError(error) && networkErrorCode(error) !== null;
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
    const dispatcher = sourceDispatcher(state.source, options);
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
    const headers = answerHeadersOf(response.headers);
    const { contentType } = headers;
    // Only a DETAIL link may turn out to be a file (handle-page.ts documentKindOfResponse); its bytes are fetch's business.
    const isPage = !contentType || TEXTUAL_TYPE.test(contentType) || response.status !== 200 || request.label !== 'DETAIL';
    return {
      request: { ...request },
      loadedUrl: finalUrl,
      status: response.status,
      ...headers,
      body: isPage ? await readPageCapped(response, request.url, options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES) : await skipBody(response),
    };
  });
}

async function skipBody(response: Response): Promise<Buffer> {
  await response.body?.cancel().catch(() => undefined);
  return Buffer.alloc(0);
}
