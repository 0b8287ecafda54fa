/** `yangguang reprocess`: extract, parse or load again over the archive, as a new run, downloading nothing. */
import type { Config } from '../config/config.ts';
import { openPipeline, startWorkers } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { enqueueReprocess, type ReprocessStage } from '../jobs/reprocess.ts';
import { EXIT } from './errors.ts';
import { concludeRun, waitForRun } from './run-wait.ts';

export interface ReprocessCommandOptions {
  stage: ReprocessStage;
  since?: string;
  wait?: boolean;
  inline?: boolean;
  /** With --wait: stop waiting after this many seconds. */
  timeout?: number;
}

export async function runReprocess(config: Config, options: ReprocessCommandOptions): Promise<number> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const workers = options.inline ? startWorkers(pipeline, { stages: ['extract', 'parse', 'load'] }) : [];
  try {
    const { runId, documents } = await enqueueReprocess(pipeline, options.stage, options.since ? { since: options.since } : {});
    if (documents === 0) {
      // Nothing queued: the run has nothing to wait for (its summary alone would need a load worker).
      console.log(
        `run ${runId}: no document${options.since ? ` fetched since ${options.since}` : ''} to ${options.stage} again; nothing to do`,
      );
      return EXIT.ok;
    }
    console.log(`run ${runId}: ${documents} document(s) queued for ${options.stage} again`);
    if (!options.wait && !options.inline) return EXIT.ok;
    const result = await waitForRun(pipeline, runId, {
      inline: options.inline === true,
      ...(options.timeout !== undefined ? { timeoutSecs: options.timeout } : {}),
    });
    return await concludeRun(config, result);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.close();
  }
}
