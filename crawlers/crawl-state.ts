/**
 * What a crawl of a source remembers for the next one: per page, its validators (ETag, Last-Modified) and what
 * it led to. A re-crawl asks list pages conditionally and, on 304, replays what they led to; detail pages it
 * already knows are not requested again at all (a 304 still costs a round trip, and a report page's content is
 * checked by the fetch stage's own conditional GET anyway). Plain JSON: the single writer keeps it in the warehouse
 * (load/crawl-states.ts) and the next crawl reads it back from there.
 */
import type { ListRequest } from './platforms/types.ts';
import type { DiscoveredDocument } from './types.ts';

/** Bumped when the shape changes: a state of another version is ignored (the next crawl is a cold one). */
export const CRAWL_STATE_VERSION = 2;

/** A request a list page led to: a further list page or sub-column (LIST), or a report's detail page (DETAIL). */
export interface PageLink {
  label: 'LIST' | 'DETAIL';
  request: ListRequest;
  /** What the request carried: depth, and for a detail page what the list said about the report. */
  data: LinkData;
}

/** The JSON-safe part of a request's userData that a replay needs. */
export interface LinkData {
  depth?: number;
  title?: string;
  publishedAt?: string | null;
  foundOn?: string;
  titleUnconfirmed?: boolean;
}

/** What one page answered last time. */
export interface PageMemo {
  etag: string | null;
  lastModified: string | null;
  /** Documents the page itself yielded: attachments listed on a list page; a detail page's report, parts, attachments. */
  discovered: DiscoveredDocument[];
  /** List pages only: the further list pages and detail pages it led to. */
  links: PageLink[];
}

/** A source's crawl state: pages by request key (`GET url ` or `POST url payload`), as `pageKey` builds it. */
export interface SourceCrawlState {
  version: number;
  sourceId: string;
  /** ISO 8601 time of the crawl that produced it. */
  crawledAt: string;
  pages: Record<string, PageMemo>;
}

/** The key of a request in the state (also Crawlee's uniqueKey, so that one page is requested once per crawl). */
export function pageKey(request: ListRequest): string {
  return `${request.method} ${request.url} ${request.payload ?? ''}`;
}

/** The previous state when it belongs to this source and this version of the format, else null (crawl cold). */
export function usableState(state: SourceCrawlState | null | undefined, sourceId: string): SourceCrawlState | null {
  return state && state.version === CRAWL_STATE_VERSION && state.sourceId === sourceId && state.pages ? state : null;
}

/** Request headers asking for the page only if it changed since the memo. */
export function conditionalHeaders(validators: { etag: string | null; lastModified: string | null } | undefined): Record<string, string> {
  if (!validators) return {};
  return {
    ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
    ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
  };
}

/** Every document URL the state knows, with the document as last discovered. */
export function knownDocuments(state: SourceCrawlState | null): Map<string, DiscoveredDocument> {
  const documents = new Map<string, DiscoveredDocument>();
  for (const memo of Object.values(state?.pages ?? {})) for (const document of memo.discovered) documents.set(document.url, document);
  return documents;
}

/**
 * URLs of `discovered` that the previous state did not know. Some may be vanished documents listed again (only the
 * warehouse can tell); none without a usable previous state, where every URL is new and the candidates would be noise.
 */
export function unknownBefore(
  previousState: SourceCrawlState | null,
  sourceId: string,
  discovered: readonly DiscoveredDocument[],
): string[] {
  const previous = usableState(previousState, sourceId);
  if (!previous) return [];
  const known = knownDocuments(previous);
  return discovered.map((document) => document.url).filter((url) => !known.has(url));
}

/**
 * The memos of `key` and of every page reachable from it through the previous state's links: what a page that
 * failed this time (transiently) still vouches for, so that a bad night neither forgets nor "loses" its reports.
 */
export function memoSubtree(state: SourceCrawlState, key: string): Map<string, PageMemo> {
  const found = new Map<string, PageMemo>();
  const pending = [key];
  while (pending.length > 0) {
    const next = pending.pop()!;
    const memo = state.pages[next];
    if (!memo || found.has(next)) continue;
    found.set(next, memo);
    pending.push(...memo.links.map((link) => pageKey(link.request)));
  }
  return found;
}
