/**
 * What the network and page probes (probes/network.ts, probes/pages.ts) share: the probe's configuration under the
 * production network policy, a crawl through the real pipeline, and what the run recorded.
 */
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { Config } from '../../config/config.ts';
import type { Source } from '../../crawlers/types.ts';
import { enqueueRun } from '../../jobs/pipeline.ts';
import { dataLayout } from '../../config/data-layout.ts';
import { withReadOnlyWarehouse } from '../../load/index.ts';
import { retryWhileLocked } from '../../load/retry-locked.ts';
import type { ProbeContext } from './probe.ts';
import { startPipeline } from './support.ts';

/**
 * The probe's configuration with the network policy as in production (allowPrivateNetworks off), except that
 * 127.0.0.1, where the probe's own portals run, is reachable: 127.0.0.2 stands for the inside of the network.
 */
export function policyConfig(context: ProbeContext, more: Record<string, unknown> = {}): Config {
  return context.configWith({ allowedPrivateAddresses: ['127.0.0.1'], requestTimeoutSecs: 10, idleTimeoutSecs: 5, ...more });
}

/** A source on `origins`' hosts starting at `startUrl`; robots.txt is not asked unless `robots` says so. */
export function sourceAt(
  startUrl: string,
  options: { hosts?: string[]; crawler?: Source['crawler']; robots?: 'obey' | 'ignore' } = {},
): Source {
  const hosts = options.hosts ?? [new URL(startUrl).host];
  return {
    id: 'hostile-portal',
    name: '某县人民政府',
    startUrls: [startUrl],
    allowedHosts: hosts,
    ...(options.crawler ? { crawler: options.crawler } : {}),
    politeness: { robots: options.robots ?? 'ignore' },
  };
}

export interface FailureRecord {
  stage: string;
  url: string;
  code: string;
  reason: string;
}

export interface CrawlOutcome {
  /** Rows of the failures table for the run. */
  failures: FailureRecord[];
  /** The errors each completed crawl job returned (pages that failed while the crawl went on). */
  pageErrors: { url: string; code: string; message: string }[];
  /** Files in the raw archive after the run. */
  archived: string[];
  /** Peak resident memory of this process, in MB. */
  peakRssMb: number;
}

const RUN_FAILURES_SQL = readFileSync(new URL('./run-failures.sql', import.meta.url), 'utf8');

/** Crawls `source` through the real pipeline (queues, workers of every stage in this process) until the run is recorded in DuckDB. */
export async function crawlThroughPipeline(context: ProbeContext, config: Config, source: Source): Promise<CrawlOutcome> {
  const { pipeline } = await startPipeline(context, config);
  const runId = await enqueueRun(pipeline, [source]);
  await pipeline.tracker.waitUntilRecorded(runId, { signal: context.signal });
  const crawlJobs = await pipeline.queues.crawl.getJobs(['completed']);
  const pageErrors = crawlJobs.flatMap((job) => (job.returnvalue as { errors?: CrawlOutcome['pageErrors'] } | null)?.errors ?? []);
  const failures = await retryWhileLocked(() =>
    withReadOnlyWarehouse(config.duckdbPath, async ({ connection }) => {
      const statement = await connection.prepare(RUN_FAILURES_SQL);
      statement.bind({ run: runId });
      return (await statement.runAndReadAll()).getRowObjectsJS() as unknown as FailureRecord[];
    }),
  );
  const archived = await readdir(dataLayout(config.dataDir).rawDir).catch(() => []);
  for (const failure of failures) context.log(`failure: ${failure.stage} ${failure.code} ${failure.url}: ${failure.reason}`);
  for (const error of pageErrors) context.log(`page error: ${error.code} ${error.url}: ${error.message}`);
  return { failures, pageErrors, archived, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** The failure (or, failing that, the page error) with `code`, as one line for the verdict. */
export function recorded(outcome: CrawlOutcome, code: string, stage?: string): string | null {
  const failure = outcome.failures.find((row) => row.code === code && (!stage || row.stage === stage));
  if (failure) return `${failure.stage} failed as ${code}: ${failure.reason.slice(0, 160)} (peak RSS ${outcome.peakRssMb} MB)`;
  const error = outcome.pageErrors.find((row) => row.code === code);
  return error && !stage
    ? `the crawl recorded ${code} for ${error.url}: ${error.message.slice(0, 160)} (peak RSS ${outcome.peakRssMb} MB)`
    : null;
}

/** What the run recorded, for a verdict that found no expected code. */
export function summary(outcome: CrawlOutcome): string {
  const codes = [...outcome.failures.map((row) => `${row.stage}:${row.code}`), ...outcome.pageErrors.map((row) => `page:${row.code}`)];
  return `recorded ${codes.length > 0 ? codes.join(', ') : 'no failure'}; ${outcome.archived.length} file(s) archived`;
}
