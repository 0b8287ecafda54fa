/** `yangguang schedule set|list|rm`: cron-driven crawl runs on BullMQ job schedulers. */
import { plainTable } from './plain-table.ts';
import type { Config } from '../config/config.ts';
import { openPipeline, type Pipeline } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { listSchedules, removeSchedule, setSchedule } from '../jobs/schedules.ts';
import { readSources } from './read-sources.ts';
import { catalogFiles } from './sources.ts';

async function withPipeline<T>(config: Config, fn: (pipeline: Pipeline) => Promise<T>): Promise<T> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
  }
}

/** Creates or replaces a schedule over the sources of `options.sources`, or of the whole catalog (sources/*.yaml). */
export async function scheduleSet(config: Config, options: { id: string; cron: string; tz?: string; sources?: string }): Promise<void> {
  const files = options.sources ? [options.sources] : catalogFiles();
  if (files.length === 0) throw new Error('no sources: give --sources FILE or put the catalog in sources/*.yaml');
  const sources = files.flatMap(readSources);
  await withPipeline(config, (pipeline) => setSchedule(pipeline, { id: options.id, cron: options.cron, tz: options.tz, sources }));
  console.log(`schedule ${options.id}: "${options.cron}"${options.tz ? ` (${options.tz})` : ''}, ${sources.length} source(s)`);
}

export async function scheduleList(config: Config): Promise<void> {
  const schedules = await withPipeline(config, listSchedules);
  if (schedules.length === 0) {
    console.log('no schedules');
    return;
  }
  const table = plainTable(['id', 'cron', 'tz', 'next run', 'sources']);
  for (const s of schedules) table.push([s.id, s.cron, s.tz ?? '', s.next ?? '', s.sources.join(', ')]);
  console.log(table.toString());
}

export async function scheduleRemove(config: Config, id: string): Promise<void> {
  const removed = await withPipeline(config, (pipeline) => removeSchedule(pipeline, id));
  if (!removed) throw new Error(`no schedule named ${id}`);
  console.log(`schedule ${id} removed`);
}
