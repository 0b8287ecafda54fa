/**
 * Which discovered documents a run sends to fetch. A document the crawl reached only through list pages that
 * answered 304 (CrawlResult.unchanged), and that the warehouse has already loaded, is not asked for again every
 * night: the portal's own validators say nothing on the way to it changed. It is re-checked (a conditional GET)
 * every `recheckDays` days all the same, for a report replaced in place under an unchanged list, or on demand.
 */
import type { DiscoveredDocument } from '../crawlers/types.ts';

/** When each document URL was last sent to fetch (ISO 8601), kept per source between runs (in crawl_states). */
export type DocumentChecks = Record<string, string>;

export interface RecheckInput {
  wanted: DiscoveredDocument[];
  /** URLs the crawl found unchanged (CrawlResult.unchanged). */
  unchanged: ReadonlySet<string>;
  /** URLs the warehouse has loaded; anything else is fetched (it may have failed last time). */
  loaded: ReadonlySet<string>;
  checks: DocumentChecks;
  now: Date;
  /** Days between re-checks; 0 re-checks every run. */
  recheckDays: number;
  /** Re-check everything (`crawl --recheck`). */
  force: boolean;
}

export interface RecheckPlan {
  fetch: DiscoveredDocument[];
  /** Left alone this run: unchanged, loaded and checked recently. */
  skip: DiscoveredDocument[];
  /** The checks to keep for the next run: the fetched ones now, the skipped ones as they were. */
  checks: DocumentChecks;
}

export function planFetches(input: RecheckInput): RecheckPlan {
  const due = input.now.getTime() - input.recheckDays * 86_400_000;
  const checkedRecently = (url: string) => Date.parse(input.checks[url] ?? '') > due;
  const skippable = (url: string) => !input.force && input.unchanged.has(url) && input.loaded.has(url) && checkedRecently(url);
  const plan: RecheckPlan = { fetch: [], skip: [], checks: {} };
  for (const document of input.wanted) {
    if (skippable(document.url)) {
      plan.skip.push(document);
      plan.checks[document.url] = input.checks[document.url]!;
    } else {
      plan.fetch.push(document);
      plan.checks[document.url] = input.now.toISOString();
    }
  }
  return plan;
}
