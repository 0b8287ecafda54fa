/** `yangguang crawl` and `yangguang worker`. */
import type { Config } from '../config/config.ts';
import type { GovernmentLevel } from '../crawlers/catalog-types.ts';
import type { Source } from '../crawlers/types.ts';
import { enqueueRun, openPipeline, startWorkers, type WorkerOptions } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { parseKinds, parseYears, type DocumentFilter } from '../ledger/document-filter.ts';
import { EXIT, UsageError } from './errors.ts';
import { concludeRun, waitForRun } from './run-wait.ts';
import { catalogSources } from '../jobs/catalog-runs.ts';
import { readSources, sourceFromUrl } from './read-sources.ts';

export interface CrawlCommandOptions {
  sources?: string;
  url?: string[];
  wait?: boolean;
  inline?: boolean;
  /** Backfill: `2019-2024` or `2021`. */
  years?: string;
  /** Backfill: `pdf,html`. */
  types?: string;
  /** Re-check every document (see ledger/recheck-policy.ts). */
  recheck?: boolean;
  /** National catalog: the entries whose code starts with this prefix (32, 3208). */
  region?: string;
  /** National catalog: the entries at this level. */
  level?: GovernmentLevel;
  /** National catalog: every entry (with --region or --level, those picked). */
  catalog?: boolean;
  /** Print the sources that would be crawled, queue nothing. */
  dryRun?: boolean;
  /** With --wait: stop waiting after this many seconds. */
  timeout?: number;
}

/** The crawl's document filter from --years and --types (undefined: keep everything). */
export function filterFromOptions(options: { years?: string; types?: string }): DocumentFilter | undefined {
  if (!options.years && !options.types) return undefined;
  return {
    ...(options.years ? { years: parseYears(options.years) } : {}),
    ...(options.types ? { kinds: parseKinds(options.types) } : {}),
  };
}

/**
 * The national catalog's sources for --catalog, --region and --level: only entries whose 年报 columns discovery has
 * found are crawled; the others are counted, with the command that finds their columns.
 */
async function sourcesFromCatalogOptions(config: Config, options: CrawlCommandOptions): Promise<Source[]> {
  if (!options.catalog && !options.region && !options.level) return [];
  const filter = { ...(options.region ? { region: options.region } : {}), ...(options.level ? { level: options.level } : {}) };
  const { sources, undiscovered } = await catalogSources(config, filter);
  if (undiscovered.length > 0) {
    const scope = [options.region ? `--region ${options.region}` : '', options.level ? `--level ${options.level}` : '']
      .filter(Boolean)
      .join(' ');
    console.log(
      `catalog: ${sources.length} source(s) with discovered 年报 columns; ${undiscovered.length} without are not crawled ` +
        `(run \`yangguang sources discover${scope ? ` ${scope}` : ''}\` first)`,
    );
  }
  return sources;
}

export async function runCrawl(config: Config, options: CrawlCommandOptions): Promise<number> {
  const sources: Source[] = [
    ...(options.sources ? readSources(options.sources) : []),
    ...(options.url ?? []).map((url) => sourceFromUrl(url)),
    ...(await sourcesFromCatalogOptions(config, options)),
  ];
  if (sources.length === 0 && (options.catalog || options.region || options.level)) return EXIT.failures; // said why above: nothing discovered yet
  if (sources.length === 0) throw new UsageError('nothing to crawl: give --sources FILE, --url URL, or --catalog, --region, --level');
  const filter = filterFromOptions(options);
  if (options.dryRun) {
    printDryRun(sources, filter);
    return EXIT.ok;
  }
  const redis = await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const workers = options.inline ? startWorkers(pipeline) : [];
  try {
    const runId = await enqueueRun(pipeline, sources, undefined, {
      ...(filter ? { filter } : {}),
      ...(options.recheck ? { recheck: true } : {}),
    });
    console.log(`run ${runId}: ${sources.length} source(s) queued on ${config.redisUrl} (prefix ${config.queuePrefix})`);
    if (!options.wait && !options.inline) return EXIT.ok;
    const result = await waitForRun(pipeline, runId, {
      inline: options.inline === true,
      ...(options.timeout !== undefined ? { timeoutSecs: options.timeout } : {}),
    });
    return await concludeRun(config, result);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.close();
    await redis.stop();
  }
}

/** `crawl --dry-run`: what a run would crawl, one line per source, and the filter its documents would pass. */
function printDryRun(sources: Source[], filter: DocumentFilter | undefined): void {
  for (const source of sources) console.log(`${source.id}\t${source.name}\t${source.startUrls.join(' ')}`);
  const only = filter
    ? ` (only documents with ${[filter.years ? `years ${filter.years.from}-${filter.years.to}` : '', filter.kinds ? `kinds ${filter.kinds.join(',')}` : ''].filter(Boolean).join(', ')})`
    : '';
  console.log(`dry run: ${sources.length} source(s) would be crawled${only}; nothing was queued`);
}

/** How long a stopping worker waits for its jobs in hand before it exits anyway. */
const SHUTDOWN_GRACE_MS = 60_000;

export async function runWorker(config: Config, options: WorkerOptions): Promise<void> {
  const pipeline = await openPipeline(config);
  const workers = startWorkers(pipeline, options);
  console.log(`worker: ${(options.stages ?? []).join(', ')} on ${config.redisUrl} (prefix ${config.queuePrefix}); stop with Ctrl-C`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        console.log(`worker: ${signal} again, exiting now (jobs in hand go back to the queue in ~10 s)`);
        process.exit(130);
      }
      stopping = true;
      console.log(`worker: ${signal}, finishing the jobs in hand…`);
      // A job that never settles (or a queue connection that never closes) must not keep a stopped worker alive.
      setTimeout(() => {
        console.log(`worker: still stopping after ${SHUTDOWN_GRACE_MS / 1000} s, exiting now (jobs in hand go back to the queue in ~10 s)`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
      resolve();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  await Promise.all(workers.map((worker) => worker.close()));
  await pipeline.close();
  // Everything is closed; a socket some library keeps open (seen after Redis restarts) must not hold the process.
  process.exit(0);
}
