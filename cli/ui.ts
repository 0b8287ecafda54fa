/** `yangguang ui`: serves the queue UI until stopped; `--new-token` prints a token for it. */
import type { Config } from '../config/config.ts';
import { generateUiToken } from '../config/ui-token.ts';
import { openPipeline } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { startUi } from '../ui/server.ts';

export async function runUi(config: Config, options: { host: string; port: number }): Promise<void> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  const ui = await startUi(pipeline, {
    ...options,
    ...(config.uiToken ? { token: config.uiToken } : {}),
    ...(config.uiPublicHost ? { publicHost: config.uiPublicHost } : {}),
  }).catch(async (error: unknown) => {
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

/** Prints a fresh token (256 random bits) and how to use it. */
export function printNewUiToken(): void {
  console.log(generateUiToken());
  console.error('set it as YANGGUANG_UI_TOKEN (or uiToken in the config file) for `yangguang ui --host <address>`');
}
