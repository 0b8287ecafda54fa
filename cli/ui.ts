/** `yangguang ui`: serves the queue UI until stopped. */
import type { Config } from '../config/config.ts';
import { openPipeline } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { startUi } from '../ui/server.ts';

export async function runUi(config: Config, options: { host: string; port: number }): Promise<void> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const ui = await startUi(pipeline, { ...options, token: config.uiToken }).catch(async (error: unknown) => {
    await pipeline.close();
    throw error;
  });
  console.log(`queue UI: ${ui.url}/  (queues at ${ui.url}/queues)${config.uiToken ? ', token required' : ''}; stop with Ctrl-C`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ui.close();
  await pipeline.close();
}
