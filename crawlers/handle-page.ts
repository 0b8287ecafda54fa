/**
 * What happens with a page either crawler answered (http-crawler.ts, browser-crawler.ts; crawl-source.ts hands them
 * this flow), with request labels as routes. A LIST page is decoded and checked (an HTTP error, an anti-bot page, a
 * soft 404 are recorded; a 5xx or 429 is retried after its Retry-After), read for further list pages, sub-columns and
 * DETAIL links, and those are enqueued: under robots.txt, asked conditionally when the previous crawl knew them, known
 * detail pages replayed instead of requested; a 304 replays what the page led to last time. A DETAIL page yields the
 * report (with its further parts) and its attachments. A page that failed for good is recorded with its code.
 */
import * as cheerio from 'cheerio';
import type { RequestOptions } from '@crawlee/http';
import { detectChallenge } from '../shared/anti-bot.ts';
import { decodeHtml } from '../shared/charset.ts';
import { describeNetworkFailure, httpStatusCode, isCertificateError, isRetryableStatus, permanentCause } from './errors.ts';
import { DETAIL, LIST, type CrawlState, type FetchedPage, type RequestData, type StartFailure } from './page-crawler.ts';
import { attachmentKind, isReportTitle } from './links.ts';
import type { ListItem, ListRequest } from './platforms/types.ts';
import { conditionalHeaders, memoSubtree, pageKey, type PageLink, type PageMemo } from './crawl-state.ts';
import { attachmentTitle, readAttachments, readDetailInfo } from './read-detail-page.ts';
import { reportImageParts } from './image-parts.ts';
import { readListPage } from './read-list-page.ts';
import type { DiscoveredDocument, DocumentKindHint } from './types.ts';
import { canonicalUrl } from './url-policy.ts';

/** Request labels as routes: LIST pages lead to more pages, DETAIL pages to documents. */
export async function handlePage(state: CrawlState, page: FetchedPage): Promise<void> {
  state.pagesFetched += 1;
  if (page.request.label !== DETAIL) state.listPagesFetched += 1;
  const memo: PageMemo = { etag: page.etag ?? null, lastModified: page.lastModified ?? null, discovered: [], links: [] };
  if (page.request.label === DETAIL) {
    const kind = documentKindOfResponse(page);
    if (kind) return remember(state, page, addLinkedDocument(state, page, kind, memo));
  } else {
    if (page.status === 304 && (await replayListPage(state, page))) return;
    noteMovedToHomepage(state, page);
  }
  const usable = await usablePage(state, page);
  if (!usable) return;
  if (page.request.label === DETAIL) addDetailDocuments(state, page, usable.text, usable.$, memo);
  else await followListPage(state, page, usable, memo);
  remember(state, page, memo);
}

/** After the crawler's retries: records the page's last error with a code. */
export function recordFailedPage(state: CrawlState, url: string, data: RequestData, retryCount: number, error: Error): void {
  // A refusal (network policy, off-site redirect, page size, budget) says what it is, whatever wraps it.
  const refusal = permanentCause(error);
  if (refusal) return recordFailure(state, url, data, { url, code: refusal.code, retryable: false, message: refusal.message });
  const statusMatch = /^(\d{3}) - /.exec(error.message);
  const status = statusMatch ? Number(statusMatch[1]) : null;
  const network = status || error instanceof RetryablePageError ? null : describeNetworkFailure(error);
  const code =
    error instanceof RetryablePageError
      ? error.code
      : status
        ? httpStatusCode(status)
        : isCertificateError(error)
          ? 'TLS_CERTIFICATE'
          : (network?.code ?? 'PAGE_FAILED');
  // The network cause, not the wrapper's first line (Crawlee's "Detected a session error, rotating session…").
  const message = `${network?.reason ?? error.message.split('\n')[0]} (after ${retryCount} retries)`;
  const retryable = status ? isRetryableStatus(status) : code !== 'PAGE_FAILED' && code !== 'TLS_CERTIFICATE';
  recordFailure(state, url, data, { url, code, retryable, message });
}

/** A Crawlee request; a list page the previous state knows is asked conditionally (If-None-Match / If-Modified-Since). */
export function crawlRequest(state: CrawlState, list: ListRequest, label: string, userData: RequestData): RequestOptions {
  const url = list.method === 'GET' ? canonicalUrl(list.url) : list.url;
  const key = pageKey({ ...list, url });
  // Both crawlers send these; browser-crawler.ts says how a browser does.
  const validators = label === LIST ? conditionalHeaders(state.previous?.pages[key]) : {};
  return {
    url,
    method: list.method,
    ...(list.payload !== undefined ? { payload: list.payload } : {}),
    headers: { 'user-agent': state.userAgent, ...list.headers, ...validators },
    uniqueKey: key,
    label,
    userData: { ...userData, key },
  };
}

/** Drops requests robots.txt disallows, recording each as ROBOTS_DISALLOWED. */
export async function filterByRobots(state: CrawlState, requests: RequestOptions[]): Promise<RequestOptions[]> {
  if (!state.robots) return requests;
  const kept: RequestOptions[] = [];
  for (const candidate of requests) {
    if (await state.robots.allows(candidate.url)) kept.push(candidate);
    else
      recordFailure(state, candidate.url, candidate.userData as RequestData, {
        url: candidate.url,
        code: 'ROBOTS_DISALLOWED',
        retryable: false,
        message: 'robots.txt disallows this URL for our User-Agent',
      });
  }
  return kept;
}

/** Thrown inside a page handler so that the crawler retries the page (5xx, 429), after any Retry-After wait. */
class RetryablePageError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Longest Retry-After honoured inside a crawl, in seconds (longer ones: the job is retried later). */
const MAX_RETRY_AFTER_SECS = 30;

function isAllowed(state: CrawlState, url: string): boolean {
  return state.allowedHosts.has(new URL(url).host);
}

function recordFailure(state: CrawlState, url: string, data: RequestData, failure: StartFailure): void {
  state.errors.push({ url, code: failure.code, message: failure.message });
  if (failure.code === 'BLOCKED') state.blocked += 1;
  if (data.isStart) state.startFailures.set(url, failure);
  if (failure.retryable && data.key) carryForward(state, data.key);
}

/**
 * A page that failed transiently (5xx, timeout, anti-bot page) keeps what it and the pages behind it led to last
 * time in the state, and its documents do not count as disappeared. A 404 is taken at its word.
 */
function carryForward(state: CrawlState, key: string): void {
  if (!state.previous) return;
  for (const [pageKeyOf, memo] of memoSubtree(state.previous, key)) {
    if (!state.pages.has(pageKeyOf)) state.pages.set(pageKeyOf, memo);
    for (const document of memo.discovered) state.carried.add(document.url);
  }
}

/** Seconds to wait before retrying: Retry-After (seconds or a date) when given, else a short exponential backoff. */
function retryDelaySecs(retryAfter: string | undefined, retryCount: number): number {
  const seconds = Number(retryAfter);
  const fromHeader =
    Number.isFinite(seconds) && retryAfter?.trim() ? seconds : retryAfter ? (Date.parse(retryAfter) - Date.now()) / 1000 : NaN;
  const wait = Number.isFinite(fromHeader) ? fromHeader : 0.25 * 2 ** retryCount;
  return Math.min(MAX_RETRY_AFTER_SECS, Math.max(0, wait));
}

const SOFT_404 = /页面不存在|页面未找到|找不到(该|您要访问的)?页面|404\s*(not found|错误)|信息已删除|该信息不存在|栏目不存在/i;

const HOME_PATH = /^\/(index\.(s?html?|jsp|php|aspx?))?$/i;

/** Decodes the page, or records why it is unusable (HTTP error, anti-bot page, soft 404) and returns null. */
async function usablePage(state: CrawlState, page: FetchedPage): Promise<{ text: string; $: cheerio.CheerioAPI } | null> {
  const { status, request: current } = page;
  const text = typeof page.body === 'string' ? page.body : decodeHtml(page.body, page.contentType).text;
  const challenge = detectChallenge(status, text);
  if ((status === 429 || status >= 500) && !challenge) {
    const wait = retryDelaySecs(page.retryAfter, current.retryCount);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    throw new RetryablePageError(`HTTP ${status}`, httpStatusCode(status));
  }
  const data = current.userData;
  const fail = (code: string, retryable: boolean, message: string) => {
    recordFailure(state, current.url, data, { url: current.url, code, retryable, message });
    return null;
  };
  if (challenge) return fail('BLOCKED', true, `anti-bot page instead of content: ${challenge}`);
  if (status >= 400) return fail(httpStatusCode(status), isRetryableStatus(status), `HTTP ${status}`);
  if (text.length < 3000 && SOFT_404.test(text)) return fail('SOFT_404', false, 'the page answers 200 but says it does not exist');
  return { text, $: cheerio.load(text) };
}

/** A start URL that redirected to the site root: recorded, and the root is then searched for the 年报 column. */
function noteMovedToHomepage(state: CrawlState, page: FetchedPage): void {
  const requested = new URL(page.request.url);
  const loaded = new URL(page.loadedUrl);
  if (page.request.userData.isStart && HOME_PATH.test(loaded.pathname) && !HOME_PATH.test(requested.pathname)) {
    state.errors.push({ url: page.request.url, code: 'MOVED_TO_HOMEPAGE', message: `redirected to the homepage ${loaded.href}` });
  }
}

/** Keeps what an answered page led to in the new state (pages that failed are not remembered, so they are asked again). */
function remember(state: CrawlState, page: FetchedPage, memo: PageMemo): void {
  const { key } = page.request.userData;
  if (key) state.pages.set(key, memo);
}

/** A list page that answered 304: what it led to last time is followed again. False when the state does not know it. */
async function replayListPage(state: CrawlState, page: FetchedPage): Promise<boolean> {
  const { key } = page.request.userData;
  const memo = key ? state.previous?.pages[key] : undefined;
  if (!key || !memo) return false;
  state.pagesNotModified += 1;
  state.pages.set(key, memo);
  for (const document of memo.discovered) addDocument(state, document, undefined, false);
  const admitted = memo.links.filter((link) => link.label === DETAIL || admitListPage(state, link.request, link.data.depth ?? 0));
  await followLinks(state, page, admitted);
  return true;
}

/**
 * Requests the links of a list page, except detail pages the previous state knows: those are replayed, not
 * requested (their content is the fetch stage's business, which asks for it conditionally).
 */
async function followLinks(state: CrawlState, page: FetchedPage, links: PageLink[]): Promise<void> {
  const requests = links
    .filter((link) => link.label === LIST || !replayDetailPage(state, link, page.status !== 304))
    .map((link) => crawlRequest(state, link.request, link.label, link.data));
  await page.addRequests(await filterByRobots(state, requests));
}

/**
 * Adds the documents a known detail page yielded last time; false when the previous state does not know the page.
 * `fresh`: the list page linking it answered in full (it may have changed with the detail page).
 */
function replayDetailPage(state: CrawlState, link: PageLink, fresh: boolean): boolean {
  const key = pageKey({ ...link.request, url: canonicalUrl(link.request.url) });
  const memo = state.previous?.pages[key];
  if (!memo) return false;
  if (!state.pages.has(key)) {
    state.pagesSkipped += 1;
    state.pages.set(key, memo);
  }
  for (const document of memo.discovered) addDocument(state, document, undefined, fresh);
  return true;
}

/** A DETAIL link that turned out to be a file (PDF, Word…) rather than a page: it is the document. */
function documentKindOfResponse(page: FetchedPage): DocumentKindHint | null {
  const type = (page.contentType ?? '').toLowerCase();
  if (page.status !== 200 || type === '' || /html|xml|text\/plain|json/.test(type)) return null;
  if (type.includes('pdf')) return 'pdf';
  if (type.includes('wordprocessingml')) return 'docx';
  if (type.includes('msword')) return 'doc';
  if (type.includes('excel') || type.includes('spreadsheetml')) return 'xls';
  if (type.startsWith('image/')) return 'image';
  return 'other';
}

/**
 * Adds a document (first sighting of a URL wins) and notes it in the memo of the page it came from. `fresh`: it
 * was reached through a page that answered in full, not only through 304s.
 */
function addDocument(state: CrawlState, document: DiscoveredDocument, memo?: PageMemo, fresh = true): void {
  const url = /^(html)$/.test(document.kindHint) ? canonicalUrl(document.url) : document.url;
  if (!isAllowed(state, url)) return;
  const normalized = { ...document, url };
  if (!state.discovered.has(url)) state.discovered.set(url, normalized);
  if (fresh) state.reachedFresh.add(url);
  memo?.discovered.push(normalized);
}

function addLinkedDocument(state: CrawlState, page: FetchedPage, kindHint: DocumentKindHint, memo: PageMemo): PageMemo {
  const data = page.request.userData;
  const { url } = page.request;
  addDocument(
    state,
    {
      sourceId: state.source.id,
      url,
      title: data.title ?? '',
      kindHint,
      foundOn: data.foundOn ?? url,
      publishedAt: data.publishedAt ?? null,
    },
    memo,
  );
  return memo;
}

/** Further parts of a multi-page TRS article (`createPageHTML(2, 0, "t20220120_1134560", "html")` → t…_1.html). */
function articlePartUrls(text: string, pageUrl: string): string[] {
  const match = /createPageHTML\s*\(\s*(\w+|\d+)\s*,\s*\d+\s*,\s*["'](t\d{8}_\d+)["']\s*,\s*["'](\w+)["']/.exec(text);
  if (!match) return [];
  const count = /^\d+$/.test(match[1]!) ? Number(match[1]) : Number(new RegExp(`\\b${match[1]}\\s*=\\s*(\\d+)`).exec(text)?.[1] ?? 1);
  return Array.from(
    { length: Math.max(0, Math.min(count, 50) - 1) },
    (_, index) => new URL(`${match[2]}_${index + 1}.${match[3]}`, pageUrl).href,
  );
}

function addDetailDocuments(state: CrawlState, page: FetchedPage, text: string, $: cheerio.CheerioAPI, memo: PageMemo): void {
  const data = page.request.userData;
  const pageUrl = page.request.url;
  const info = readDetailInfo($);
  const title = isReportTitle(info.title) || !data.title ? info.title : data.title;
  if (data.titleUnconfirmed && !isReportTitle(title)) return;
  const publishedAt = data.publishedAt ?? info.publishedAt;
  const sourceId = state.source.id;
  const attachments = readAttachments($, page.loadedUrl || pageUrl);
  // The further parts of a multi-page article travel with it: fetched and extracted together, they are one report.
  // So do the scanned pages of a report published as images (image-parts.ts), on the allowed hosts only.
  const imageParts = reportImageParts($, page.loadedUrl || pageUrl, attachments);
  const partUrls = [...articlePartUrls(text, pageUrl), ...imageParts].filter((url) => isAllowed(state, url));
  addDocument(
    state,
    {
      sourceId,
      url: pageUrl,
      title,
      kindHint: 'html',
      foundOn: data.foundOn ?? pageUrl,
      publishedAt,
      ...(partUrls.length > 0 ? { partUrls } : {}),
    },
    memo,
  );
  // Image files are pages of the article's report (above), never documents of their own.
  for (const attachment of attachments.filter((candidate) => candidate.kindHint !== 'image')) {
    addDocument(
      state,
      {
        sourceId,
        url: attachment.url,
        title: attachmentTitle(attachment, title),
        kindHint: attachment.kindHint,
        foundOn: pageUrl,
        publishedAt,
      },
      memo,
    );
  }
}

/** Whether a further list page may be requested: allowed host, depth and query-variant caps. */
function admitListPage(state: CrawlState, next: ListRequest, depth: number): boolean {
  if (!isAllowed(state, next.url)) return false;
  if (next.kind === 'column' && depth > state.maxDepth) return false;
  return next.method !== 'GET' || state.variants.admit(canonicalUrl(next.url));
}

async function followListPage(
  state: CrawlState,
  page: FetchedPage,
  usable: { text: string; $: cheerio.CheerioAPI },
  memo: PageMemo,
): Promise<void> {
  const { request: current } = page;
  const url = page.loadedUrl || current.url;
  const depth = current.userData.depth ?? 0;
  const listing = readListPage({
    url,
    method: current.method,
    ...(current.payload ? { payload: current.payload } : {}),
    text: usable.text,
    $: usable.$,
  });
  for (const next of listing.nextPages) {
    const nextDepth = next.kind === 'column' ? depth + 1 : depth;
    if (admitListPage(state, next, nextDepth)) memo.links.push({ label: LIST, request: next, data: { depth: nextDepth } });
  }
  for (const item of listing.items.filter((candidate) => isAllowed(state, candidate.url))) {
    const kindHint = attachmentKind(new URL(item.url), item.title);
    if (kindHint)
      addDocument(
        state,
        { sourceId: state.source.id, url: item.url, title: item.title, kindHint, foundOn: url, publishedAt: item.publishedAt },
        memo,
      );
    else memo.links.push({ label: DETAIL, request: { url: item.url, method: 'GET' }, data: detailData(item, url) });
  }
  await followLinks(state, page, memo.links);
}

function detailData(item: ListItem, foundOn: string): PageLink['data'] {
  return { title: item.title, publishedAt: item.publishedAt, foundOn, ...(item.titleUnconfirmed ? { titleUnconfirmed: true } : {}) };
}
