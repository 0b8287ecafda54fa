/** What flows out of the crawl and fetch stages. */

/** Administrative level of an issuer, as CONTRACT.md names them. */
export type Level = 'province' | 'prefecture' | 'county' | 'department' | 'other';

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
}

/** What the URL or link suggests a document is; extract sniffs the bytes and decides for real. */
export type DocumentKindHint = 'html' | 'pdf' | 'doc' | 'docx' | 'wps' | 'xls' | 'other';

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
}

/** A document downloaded into the content-addressed archive. Output of fetch, input of extract. */
export interface FetchedDocument {
  sourceId: string;
  url: string;
  /** URL after redirects. */
  finalUrl: string;
  title: string;
  publishedAt: string | null;
  /** ISO 8601 timestamp. */
  fetchedAt: string;
  status: number;
  contentType: string | null;
  sha256: string;
  byteLength: number;
  /** Path of the bytes in the archive: data/raw/<sha256>. */
  archivePath: string;
  etag: string | null;
  lastModified: string | null;
}
