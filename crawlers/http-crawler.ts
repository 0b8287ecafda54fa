/**
 * The plain-HTTP crawler: a small request loop on undici, every request gated by the process-wide host scheduler
 * (crawlers/host-scheduler.ts). Raw bytes are handed over (decoding is ours: a GBK page labelled only in <meta> would
 * come out garbled otherwise).
 *
 * Why not Crawlee's HttpCrawler, which this replaced: a national crawl keeps hundreds of sources in flight per worker
 * (long per-host delays), and each HttpCrawler brings its own storage, autoscaled pool and system-status polling —
 * measured here, 200 crawlers at once peaked at 3.5 GB RSS and 20 s CPU for 1,000 pages. This loop keeps what the
 * crawl needs from it: a FIFO queue deduplicated by uniqueKey, maxPages, retries of 5xx/429/network errors, timeouts,
 * redirects, the TLS policy. The browser crawler (browser-crawler.ts) stays on Crawlee.
 */
import type { RequestOptions } from '@crawlee/http';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { Agent, fetch, type Dispatcher } from 'undici';
import { MAX_REQUEST_RETRIES, sourceConcurrency, type CrawlOptions, type CrawlState, type FailedPageHandler, type FetchedPage, type PageHandler, type RequestData } from './page-crawler.ts';
import { isCertificateError, networkErrorCode } from './errors.ts';
import { politenessBudget, unthrottledHostScheduler } from './host-scheduler.ts';

/**
 * Most bytes of a page read into memory (a list or report page is far smaller). A DETAIL link answering with a file
 * (PDF, Word) is not read at all: its content type says it is a document, and the fetch stage downloads it.
 */
const PAGE_BODY_LIMIT_BYTES = 16 * 1024 * 1024;
const TEXTUAL_TYPE = /html|xml|text|json|javascript/i;

/** One connection pool for every crawl whose source's TLS policy is `ignore`; strict crawls use undici's default. */
let unverifiedTls: Agent | undefined;
function dispatcherFor(state: CrawlState): Dispatcher | undefined {
  if (state.source.tls !== 'ignore') return undefined;
  unverifiedTls ??= new Agent({ connect: { rejectUnauthorized: false } });
  return unverifiedTls;
}

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
export function crawlWithHttp(state: CrawlState, options: CrawlOptions, starts: RequestOptions[], handle: PageHandler, onFailed: FailedPageHandler): Promise<void> {
  const queue: QueuedRequest[] = [];
  const seen = new Set<string>();
  const parallel = sourceConcurrency(state, options);
  let started = 0;
  let inFlight = 0;
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
      while (inFlight < parallel && queue.length > 0 && started < options.maxPages) {
        const request = queue.shift()!;
        started += 1;
        inFlight += 1;
        const addRequests = async (more: RequestOptions[]) => {
          enqueue(more);
          pump();
        };
        void processRequest(state, options, request, handle, onFailed, addRequests).finally(() => {
          inFlight -= 1;
          pump();
        });
      }
      if (inFlight === 0) resolve();
    };
    enqueue(starts);
    pump();
  });
}

/** Requests a page and hands it over, retrying transient failures; a page that fails for good goes to `onFailed`. */
async function processRequest(
  state: CrawlState,
  options: CrawlOptions,
  request: QueuedRequest,
  handle: PageHandler,
  onFailed: FailedPageHandler,
  addRequests: (requests: RequestOptions[]) => Promise<void>,
): Promise<void> {
  for (;;) {
    try {
      const page = await requestPage(state, options, request);
      // Hundreds of crawls share a process: without a turn of the event loop between pages, a burst of answers is
      // parsed in one long chain of microtasks, and the queue's lock renewals (timers, Redis replies) wait behind it.
      await nextTurnOfEventLoop();
      await handle({ ...page, addRequests });
      return;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (!isRetryable(failure) || request.retryCount >= MAX_REQUEST_RETRIES) return onFailed(request.url, request.userData, request.retryCount, failure);
      request.retryCount += 1;
    }
  }
}

/** A page handler's retryable error (5xx, 429), a timeout or a dropped connection; not an untrusted certificate. */
function isRetryable(error: Error): boolean {
  if ((error as { retryable?: unknown }).retryable === true) return true;
  return !isCertificateError(error) && networkErrorCode(error) !== null;
}

/** One request through the host scheduler: the slot is held until the body has been read. */
async function requestPage(state: CrawlState, options: CrawlOptions, request: QueuedRequest): Promise<Omit<FetchedPage, 'addRequests'>> {
  const hosts = options.hosts ?? unthrottledHostScheduler();
  return hosts.run(request.url, politenessBudget(state.source.politeness), async () => {
    const response = await fetch(request.url, {
      method: request.method,
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...request.headers },
      ...(request.payload !== undefined ? { body: request.payload } : {}),
      redirect: 'follow',
      signal: AbortSignal.timeout(options.requestTimeoutSecs * 1000),
      dispatcher: dispatcherFor(state),
    });
    const header = (name: string) => response.headers.get(name);
    const contentType = header('content-type');
    // Only a DETAIL link may turn out to be a file (crawl-source.ts documentKindOfResponse); its bytes are fetch's business.
    const isPage = !contentType || TEXTUAL_TYPE.test(contentType) || response.status !== 200 || request.label !== 'DETAIL';
    const retryAfter = header('retry-after');
    return {
      request: { ...request },
      loadedUrl: response.url || request.url,
      status: response.status,
      contentType,
      ...(retryAfter !== null ? { retryAfter } : {}),
      etag: header('etag'),
      lastModified: header('last-modified'),
      body: isPage ? await readPageBody(response.body) : await skipBody(response.body),
    };
  });
}

/** Reads a page's bytes, up to PAGE_BODY_LIMIT_BYTES (the rest is left unread). */
async function readPageBody(body: ReadableStream<Uint8Array> | null): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of body ?? []) {
    chunks.push(chunk);
    received += chunk.byteLength;
    if (received >= PAGE_BODY_LIMIT_BYTES) {
      await body?.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks, Math.min(received, PAGE_BODY_LIMIT_BYTES));
}

async function skipBody(body: ReadableStream<Uint8Array> | null): Promise<Buffer> {
  await body?.cancel().catch(() => undefined);
  return Buffer.alloc(0);
}
