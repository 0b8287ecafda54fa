/** `yangguang crawl` and `yangguang worker`. */
import type { Config } from '../config/config.ts';
import type { Source } from '../crawlers/types.ts';
import { enqueueRun, openPipeline, startWorkers, type WorkerOptions } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { printRunSummary } from './status.ts';
import { readSources, sourceFromUrl } from './read-sources.ts';

export interface CrawlCommandOptions {
  sources?: string;
  url?: string[];
  wait?: boolean;
  inline?: boolean;
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
    const runId = await enqueueRun(pipeline, sources);
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
    const stop = (signal: string) => {
      console.log(`worker: ${signal}, finishing the jobs in hand…`);
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await Promise.all(workers.map((worker) => worker.close()));
  await pipeline.close();
}
