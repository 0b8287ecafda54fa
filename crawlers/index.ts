/** The crawl and fetch stages: find a portal's annual-report pages and attachments, then archive their bytes. */
export { crawlSource, type CrawlResult } from './crawl-source.ts';
export type { CrawlOptions, CrawlPageError, CrawlProgress } from './page-crawler.ts';
export { fetchDocument, type FetchOptions } from './fetch-document.ts';
export { CrawlError, FetchError } from './errors.ts';
export type { DiscoveredDocument, DocumentKindHint, Source } from './types.ts';
export { DEFAULT_CATALOG_FILE, checkCatalog, filterCatalog, readCatalog, sourceFromCatalog, type CatalogFilter } from './catalog.ts';
export { CRAWL_STATE_VERSION, knownDocuments, unknownBefore, usableState, type PageMemo, type SourceCrawlState } from './crawl-state.ts';
