/** Queue names and what each queue's jobs carry: references and small metadata, never document bodies. */
import type { DiscoveredDocument, PreviousFetch, Source } from '../crawlers/types.ts';
import type { FetchedDocument } from '../shared/document.ts';
import type { FailureRecord } from '../load/record-run.ts';
import type { DocumentFilter } from './document-filter.ts';

/** One queue per stage, in pipeline order. */
export const STAGES = ['crawl', 'fetch', 'extract', 'parse', 'load'] as const;
export type Stage = (typeof STAGES)[number];

export interface CrawlJobData {
  runId: string;
  source: Source;
  /** Backfill: only discovered documents passing this filter go on to fetch. */
  filter?: DocumentFilter;
  /** Send every discovered document to fetch, also those the crawl found unchanged and checked recently. */
  recheck?: boolean;
}

export interface FetchJobData {
  runId: string;
  document: DiscoveredDocument;
  /** The URL's latest loaded fetch, looked up by the crawl job: its validators make the request conditional. */
  previous?: PreviousFetch & { isReport: boolean };
  /** The source's TLS policy (Source.tls), when it is not the default strict one. */
  tls?: Source['tls'];
  /** The source's politeness (Source.politeness), when it names one: the fetch asks the host as gently as the crawl. */
  politeness?: Source['politeness'];
}

export interface ExtractJobData {
  runId: string;
  fetched: FetchedDocument;
}

export interface ParseJobData {
  runId: string;
  fetched: FetchedDocument;
  /** data/extracted/<sha256>.<version>.json */
  extractedPath: string;
}

export interface LoadDocumentJobData {
  runId: string;
  fetched: FetchedDocument;
  extractedPath: string;
  /** data/parsed/<sha256>.<version>.json */
  parsedPath: string;
}

/** A job that failed for good, to be recorded in DuckDB by the single writer. */
export interface RecordFailureJobData extends FailureRecord {
  stage: Stage;
}

/** Job names on the load queue: the loader is DuckDB's single writer, so every write goes through it. */
export const LOAD_JOB = { document: 'load-document', failure: 'record-failure' } as const;
