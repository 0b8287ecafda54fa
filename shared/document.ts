/** A document as the archive holds it: what every stage after fetch knows of where its bytes came from. */
import type { Level } from './types.ts';

/**
 * Who the crawled portal belongs to, as the source describes it: travels with each document to the parser, which
 * falls back to it when the document does not say (a report naming no region lies in its portal's).
 */
export interface DocumentIssuer {
  /** The source's name, e.g. 淮安市淮阴区人民政府. */
  name: string;
  /** 6-digit GB/T 2260 code of the portal's region. */
  regionCode?: string;
  level?: Level;
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
  /** The server answered 304 to a conditional request: sha256 and archivePath are the previous fetch's. */
  notModified?: boolean;
  /** The crawled source's government, carried over from the DiscoveredDocument. */
  issuer?: DocumentIssuer;
  /**
   * A multi-page article: every part in page order, the first being `url` itself. `sha256` is then the hash of
   * the parts' hashes (see partsSha256) and `archivePath` the first part's file.
   */
  parts?: ArchivedPart[];
}

/** One part of a multi-page article as archived. */
export interface ArchivedPart {
  url: string;
  sha256: string;
  byteLength: number;
  archivePath: string;
  contentType: string | null;
}
