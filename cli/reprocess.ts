/** `yangguang reprocess`: extract, parse or load again over the archive, as a new run, downloading nothing. */
import type { Config } from '../config/config.ts';
import { openPipeline, startWorkers } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { enqueueReprocess, type ReprocessStage } from '../jobs/reprocess.ts';
import { printRunSummary } from './status.ts';

export interface ReprocessCommandOptions {
  stage: ReprocessStage;
  since?: string;
  wait?: boolean;
  inline?: boolean;
}

export async function runReprocess(config: Config, options: ReprocessCommandOptions): Promise<void> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const workers = options.inline ? startWorkers(pipeline, { stages: ['extract', 'parse', 'load'] }) : [];
  try {
    const { runId, documents } = await enqueueReprocess(pipeline, options.stage, options.since ? { since: options.since } : {});
    console.log(`run ${runId}: ${documents} document(s) queued for ${options.stage} again`);
    if (!options.wait && !options.inline) return;
    printRunSummary(await pipeline.tracker.waitUntilRecorded(runId));
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.close();
  }
}
