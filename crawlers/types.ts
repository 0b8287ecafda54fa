/** What flows out of the crawl and fetch stages. */

import type { DocumentIssuer } from '../shared/document.ts';
import type { Level } from '../shared/types.ts';

/** A portal to crawl: where its 年报 column starts and which hosts the crawler may visit. */
export interface Source {
  id: string;
  name: string;
  /** 6-digit GB/T 2260 code of the region the portal belongs to, when known. */
  regionCode?: string;
  level?: Level;
  startUrls: string[];
  /** Hostnames (with port where not default) the crawler may follow links to. */
  allowedHosts: string[];
  /** cheerio: plain HTTP (default); playwright: a real browser; auto: HTTP, switching to the browser on a JS challenge. */
  crawler?: CrawlerKind;
  /** Site-specific help for discovery when the heuristics are not enough. */
  hints?: SourceHints;
  /** How gently to crawl the source's hosts. */
  politeness?: Politeness;
  /** strict (default): TLS errors fail the page; ignore: certificates of this source's hosts are not verified. */
  tls?: 'strict' | 'ignore';
}

/** Which crawler a source needs. */
export type CrawlerKind = 'cheerio' | 'playwright' | 'auto';

/** Optional site-specific discovery hints (list paging and report links are recognised per platform, not hinted). */
export interface SourceHints {
  /** Deepest list-page depth from a start URL (default 6). */
  maxDepth?: number;
}

/** Per-source politeness. */
export interface Politeness {
  /** Requests in flight at once against one host (default 2). */
  concurrencyPerHost?: number;
  /** Pause between requests to one host, in milliseconds (default 0). */
  delayMs?: number;
  /** obey (default): skip URLs robots.txt disallows for our User-Agent; ignore: do not read robots.txt. */
  robots?: 'obey' | 'ignore';
}

/** What the URL or link suggests a document is (image: a scanned page as .jpg/.png/.tif); extract sniffs the bytes and decides for real. */
export type DocumentKindHint = 'html' | 'pdf' | 'doc' | 'docx' | 'wps' | 'xls' | 'image' | 'other';

/** A report page or attachment the crawler found. Output of crawl, input of fetch. */
export interface DiscoveredDocument {
  sourceId: string;
  url: string;
  /** Full title (title attribute or meta tag preferred over a truncated anchor). */
  title: string;
  kindHint: DocumentKindHint;
  /** The list or detail page the link was found on. */
  foundOn: string;
  /** Publication date as shown next to the link (YYYY-MM-DD), when shown. */
  publishedAt: string | null;
  /**
   * The further parts of the document, in page order: the pages of a multi-page HTML article (t…_1.html,
   * t…_2.html), then the scanned pages of an article whose report is images (see image-parts.ts).
   */
  partUrls?: string[];
  /** The crawled source's government (set by the crawl job from its Source). */
  issuer?: DocumentIssuer;
}

/** What an earlier fetch of the same URL stored, for a conditional request. */
export interface PreviousFetch {
  etag: string | null;
  lastModified: string | null;
  sha256: string;
}
