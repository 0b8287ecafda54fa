/** `yangguang crawl` and `yangguang worker`. */
import type { Config } from '../config/config.ts';
import type { Source } from '../crawlers/types.ts';
import { enqueueRun, openPipeline, startWorkers, type WorkerOptions } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { parseKinds, parseYears, type DocumentFilter } from '../jobs/document-filter.ts';
import { printRunSummary } from './status.ts';
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
  /** Re-check every document (see jobs/recheck-policy.ts). */
  recheck?: boolean;
}

/** The crawl's document filter from --years and --types (undefined: keep everything). */
export function filterFromOptions(options: { years?: string; types?: string }): DocumentFilter | undefined {
  if (!options.years && !options.types) return undefined;
  return {
    ...(options.years ? { years: parseYears(options.years) } : {}),
    ...(options.types ? { kinds: parseKinds(options.types) } : {}),
  };
}

export async function runCrawl(config: Config, options: CrawlCommandOptions): Promise<void> {
  const sources: Source[] = [
    ...(options.sources ? readSources(options.sources) : []),
    ...(options.url ?? []).map((url) => sourceFromUrl(url)),
  ];
  if (sources.length === 0) throw new Error('nothing to crawl: give --sources FILE or --url URL');
  const redis = await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const workers = options.inline ? startWorkers(pipeline) : [];
  try {
    const filter = filterFromOptions(options);
    const runId = await enqueueRun(pipeline, sources, undefined, { ...(filter ? { filter } : {}), ...(options.recheck ? { recheck: true } : {}) });
    console.log(`run ${runId}: ${sources.length} source(s) queued on ${config.redisUrl} (prefix ${config.queuePrefix})`);
    if (!options.wait && !options.inline) return;
    const state = await pipeline.tracker.waitUntilRecorded(runId);
    printRunSummary(state);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.close();
    await redis.stop();
  }
}

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
      resolve();
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  await Promise.all(workers.map((worker) => worker.close()));
  await pipeline.close();
}
