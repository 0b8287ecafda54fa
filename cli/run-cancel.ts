/** `yangguang run cancel <id>`: takes a run's jobs not started yet out of the queues and marks it cancelled. */
import type { Config } from '../config/config.ts';
import { cancelRun, openPipeline } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { EXIT, UsageError } from './errors.ts';

export async function runCancel(config: Config, runId: string): Promise<number> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  try {
    const removed = await cancelRun(pipeline, runId);
    if (removed === null) {
      const last = await pipeline.tracker.lastRunId();
      throw new UsageError(
        `no run ${runId} in Redis at ${config.redisUrl} (prefix ${config.queuePrefix})${last ? `; the last run is ${last}` : ''}`,
      );
    }
    console.log(`run ${runId}: cancelled; ${removed} job(s) not started were removed, the jobs in hand finish and start nothing new`);
    return EXIT.ok;
  } finally {
    await pipeline.close();
  }
}
