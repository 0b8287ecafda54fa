/**
 * Crawls one source's 年报 column(s) with Crawlee's HttpCrawler: LIST pages (TRS, Hanweb, plain) lead to
 * further list pages and report DETAIL pages; detail pages yield the report page itself and its attachments.
 * HttpCrawler hands over raw bytes, so GBK pages labelled only in <meta> decode correctly (decode-html.ts).
 */
import * as cheerio from 'cheerio';
import { Configuration, createHttpRouter, HttpCrawler, Log, LogLevel, type HttpCrawlingContext, type RequestOptions } from '@crawlee/http';
import { MemoryStorage } from '@crawlee/memory-storage';
import { detectChallenge } from './anti-bot.ts';
import { decodeHtml } from '../extract/charset.ts';
import { CrawlError, httpStatusCode, isRetryableStatus, networkErrorCode } from './errors.ts';
import { attachmentKind, isReportTitle } from './links.ts';
import type { ListItem, ListRequest } from './platforms/types.ts';
import { attachmentTitle, readAttachments, readDetailInfo } from './read-detail-page.ts';
import { readListPage } from './read-list-page.ts';
import type { DiscoveredDocument, DocumentKindHint, Source } from './types.ts';

/** How to crawl; the job layer passes these from the configuration. */
export interface CrawlOptions {
  /** User-Agent header of every request. */
  userAgent: string;
  /** Most pages (list + detail) fetched in this crawl; further ones are skipped. */
  maxPages: number;
  /** Timeout of one request, in seconds. */
  requestTimeoutSecs: number;
  /** Most requests in flight at once. */
  concurrency: number;
}

/** A page that failed during a crawl (the crawl went on without it). */
export interface CrawlPageError {
  url: string;
  /** HTTP_<status>, BLOCKED (anti-bot page), TIMEOUT, NETWORK, or PAGE_FAILED (the page could not be read). */
  code: string;
  message: string;
}

/** What a crawl found. */
export interface CrawlResult {
  /** Pages that answered (list and detail pages, whatever their status). */
  pagesFetched: number;
  /** Report pages and attachments, one per URL. */
  discovered: DiscoveredDocument[];
  errors: CrawlPageError[];
}

const LIST = 'LIST';
const DETAIL = 'DETAIL';
/** Retries of a page after a 5xx, 429 or timeout (4xx and anti-bot pages are not retried). */
const MAX_REQUEST_RETRIES = 2;

interface RequestData {
  isStart?: boolean;
  /** DETAIL: what the list page said about the report. */
  title?: string;
  publishedAt?: string | null;
  foundOn?: string;
  titleUnconfirmed?: boolean;
}

interface StartFailure extends CrawlPageError {
  retryable: boolean;
}

/** Mutable findings of one crawl. */
interface CrawlState {
  source: Source;
  userAgent: string;
  allowedHosts: Set<string>;
  pagesFetched: number;
  discovered: Map<string, DiscoveredDocument>;
  errors: CrawlPageError[];
  startFailures: Map<string, StartFailure>;
}

/** An error thrown inside the request handler so that Crawlee retries the page (429). */
class RetryablePageError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/**
 * Crawls a source and returns the report documents it links. Failures of single pages land in `errors`;
 * only when every start URL fails does it throw a CrawlError (retryable for 5xx, timeouts and anti-bot pages).
 */
export async function crawlSource(source: Source, options: CrawlOptions): Promise<CrawlResult> {
  const state: CrawlState = {
    source,
    userAgent: options.userAgent,
    allowedHosts: new Set(source.allowedHosts.length > 0 ? source.allowedHosts : source.startUrls.map((url) => new URL(url).host)),
    pagesFetched: 0,
    discovered: new Map(),
    errors: [],
    startFailures: new Map(),
  };
  const crawler = createCrawler(state, options);
  const starts = source.startUrls.map((url) => request(state, { url, method: 'GET' }, LIST, { isStart: true }));
  await crawler.run(starts);
  throwIfEveryStartFailed(state);
  return { pagesFetched: state.pagesFetched, discovered: [...state.discovered.values()], errors: state.errors };
}

/** A crawler with its own configuration and in-memory storage: crawls running at once share nothing. */
function createCrawler(state: CrawlState, options: CrawlOptions): HttpCrawler<HttpCrawlingContext> {
  const storageClient = new MemoryStorage({ persistStorage: false, writeMetadata: false });
  const configuration = new Configuration({ persistStorage: false, storageClient, purgeOnStart: true });
  return new HttpCrawler(
    {
      maxRequestsPerCrawl: options.maxPages,
      maxConcurrency: Math.max(1, options.concurrency),
      navigationTimeoutSecs: options.requestTimeoutSecs,
      requestHandlerTimeoutSecs: options.requestTimeoutSecs + 10,
      maxRequestRetries: MAX_REQUEST_RETRIES,
      useSessionPool: false,
      persistCookiesPerSession: false,
      // Raw bytes for every page: decoding is ours (Crawlee would only honour a charset in the header).
      forceResponseEncoding: 'utf8',
      additionalMimeTypes: ['*/*'],
      // 521 is 加速乐's challenge status: classify it as BLOCKED instead of retrying it as a 5xx.
      ignoreHttpErrorStatusCodes: [521],
      // Silent: every failed page is reported in CrawlResult.errors with its code and message.
      log: new Log({ level: LogLevel.OFF, prefix: `crawl ${state.source.id}` }),
      requestHandler: createRoutes(state),
      failedRequestHandler: (context, error) => handleFailedPage(state, context, error),
    },
    configuration,
  );
}

function request(state: CrawlState, list: ListRequest, label: string, userData: RequestData): RequestOptions {
  return {
    url: list.url,
    method: list.method,
    ...(list.payload !== undefined ? { payload: list.payload } : {}),
    headers: { 'user-agent': state.userAgent, ...list.headers },
    uniqueKey: `${list.method} ${list.url} ${list.payload ?? ''}`,
    label,
    userData,
  };
}

function isAllowed(state: CrawlState, url: string): boolean {
  return state.allowedHosts.has(new URL(url).host);
}

function recordFailure(state: CrawlState, url: string, data: RequestData, failure: StartFailure): void {
  state.errors.push({ url, code: failure.code, message: failure.message });
  if (data.isStart) state.startFailures.set(url, failure);
}

function throwIfEveryStartFailed(state: CrawlState): void {
  const { startUrls } = state.source;
  if (startUrls.length === 0 || !startUrls.every((url) => state.startFailures.has(url))) return;
  const first = state.startFailures.get(startUrls[0]!)!;
  throw new CrawlError(`start URL ${first.url} of source ${state.source.id} failed: ${first.message}`, {
    code: first.code,
    retryable: first.retryable,
    url: first.url,
  });
}

/** Decodes the page, or records why it is unusable (HTTP error, anti-bot challenge) and returns null. */
function usablePage(state: CrawlState, context: HttpCrawlingContext): { text: string; $: cheerio.CheerioAPI } | null {
  const { request: current, response } = context;
  const status = response.statusCode ?? 0;
  if (status === 429) throw new RetryablePageError('HTTP 429 Too Many Requests', httpStatusCode(429));
  const text = decodeHtml(context.body as Buffer, response.headers['content-type'] ?? null).text;
  const data = current.userData as RequestData;
  const challenge = detectChallenge(status, text);
  if (challenge) {
    recordFailure(state, current.url, data, { url: current.url, code: 'BLOCKED', retryable: true, message: `anti-bot page instead of content: ${challenge}` });
    return null;
  }
  if (status >= 400) {
    const message = `HTTP ${status} ${response.statusMessage ?? ''}`.trim();
    recordFailure(state, current.url, data, { url: current.url, code: httpStatusCode(status), retryable: isRetryableStatus(status), message });
    return null;
  }
  return { text, $: cheerio.load(text) };
}

/** Request labels as routes: LIST pages lead to more pages, DETAIL pages to documents. */
function createRoutes(state: CrawlState) {
  const router = createHttpRouter<HttpCrawlingContext>();
  router.addHandler(LIST, async (context) => {
    state.pagesFetched += 1;
    const page = usablePage(state, context);
    if (page) await followListPage(state, context, page);
  });
  router.addHandler(DETAIL, async (context) => {
    state.pagesFetched += 1;
    const kind = documentKindOfResponse(context);
    if (kind) return addLinkedDocument(state, context, kind);
    const page = usablePage(state, context);
    if (page) addDetailDocuments(state, context, page.$);
  });
  return router;
}

/** A DETAIL link that turned out to be a file (PDF, Word…) rather than a page: it is the document. */
function documentKindOfResponse(context: HttpCrawlingContext): DocumentKindHint | null {
  const type = (context.response.headers['content-type'] ?? '').toLowerCase();
  if (context.response.statusCode !== 200 || type === '' || /html|xml|text\/plain/.test(type)) return null;
  if (type.includes('pdf')) return 'pdf';
  if (type.includes('wordprocessingml')) return 'docx';
  if (type.includes('msword')) return 'doc';
  if (type.includes('excel') || type.includes('spreadsheetml')) return 'xls';
  return 'other';
}

function addDocument(state: CrawlState, document: DiscoveredDocument): void {
  if (isAllowed(state, document.url) && !state.discovered.has(document.url)) state.discovered.set(document.url, document);
}

function addLinkedDocument(state: CrawlState, context: HttpCrawlingContext, kindHint: DocumentKindHint): void {
  const data = context.request.userData as RequestData;
  const { url } = context.request;
  addDocument(state, { sourceId: state.source.id, url, title: data.title ?? '', kindHint, foundOn: data.foundOn ?? url, publishedAt: data.publishedAt ?? null });
}

function addDetailDocuments(state: CrawlState, context: HttpCrawlingContext, $: cheerio.CheerioAPI): void {
  const data = context.request.userData as RequestData;
  const pageUrl = context.request.url;
  const info = readDetailInfo($);
  const title = isReportTitle(info.title) || !data.title ? info.title : data.title;
  if (data.titleUnconfirmed && !isReportTitle(title)) return;
  const publishedAt = data.publishedAt ?? info.publishedAt;
  const sourceId = state.source.id;
  addDocument(state, { sourceId, url: pageUrl, title, kindHint: 'html', foundOn: data.foundOn ?? pageUrl, publishedAt });
  for (const attachment of readAttachments($, context.request.loadedUrl ?? pageUrl)) {
    addDocument(state, { sourceId, url: attachment.url, title: attachmentTitle(attachment, title), kindHint: attachment.kindHint, foundOn: pageUrl, publishedAt });
  }
}

async function followListPage(state: CrawlState, context: HttpCrawlingContext, page: { text: string; $: cheerio.CheerioAPI }): Promise<void> {
  const { request: current } = context;
  const url = current.loadedUrl ?? current.url;
  const method = current.method === 'POST' ? 'POST' : 'GET';
  const listing = readListPage({ url, method, ...(current.payload ? { payload: String(current.payload) } : {}), text: page.text, $: page.$ });
  const requests: RequestOptions[] = listing.nextPages.filter((next) => isAllowed(state, next.url)).map((next) => request(state, next, LIST, {}));
  for (const item of listing.items.filter((candidate) => isAllowed(state, candidate.url))) {
    const kindHint = attachmentKind(new URL(item.url), item.title);
    if (kindHint) addDocument(state, { sourceId: state.source.id, url: item.url, title: item.title, kindHint, foundOn: url, publishedAt: item.publishedAt });
    else requests.push(request(state, { url: item.url, method: 'GET' }, DETAIL, detailData(item, url)));
  }
  await context.addRequests(requests);
}

function detailData(item: ListItem, foundOn: string): RequestData {
  return { title: item.title, publishedAt: item.publishedAt, foundOn, ...(item.titleUnconfirmed ? { titleUnconfirmed: true } : {}) };
}

/** After Crawlee's retries: records the page's last error with a code. */
function handleFailedPage(state: CrawlState, context: HttpCrawlingContext, error: Error): void {
  const { url } = context.request;
  const statusMatch = /^(\d{3}) - /.exec(error.message);
  const status = statusMatch ? Number(statusMatch[1]) : null;
  const code = error instanceof RetryablePageError ? error.code : status ? httpStatusCode(status) : (networkErrorCode(error) ?? 'PAGE_FAILED');
  const message = `${error.message.split('\n')[0]} (after ${context.request.retryCount} retries)`;
  const retryable = status ? isRetryableStatus(status) : code !== 'PAGE_FAILED';
  recordFailure(state, url, context.request.userData as RequestData, { url, code, retryable, message });
}
