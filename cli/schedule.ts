/** `yangguang schedule set|list|rm`: cron-driven crawls and re-discoveries on BullMQ job schedulers. */
import path from 'node:path';
import { plainTable } from './plain-table.ts';
import type { Config } from '../config/config.ts';
import type { CatalogFilter } from '../crawlers/catalog.ts';
import type { GovernmentLevel } from '../crawlers/catalog-types.ts';
import { catalogSources, RECHECK_DAYS } from '../jobs/catalog-runs.ts';
import { openPipeline, type Pipeline } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import {
  listSchedules,
  removeSchedule,
  ScheduleError,
  setSchedule,
  validateCron,
  type Schedule,
  type ScheduleTarget,
} from '../jobs/schedules.ts';
import { UsageError } from './errors.ts';
import { formatInZone } from './time.ts';
import { readSources } from './read-sources.ts';
import { catalogFiles } from './sources.ts';

/** The sources file of invented portals shipped as examples: scheduling it alone crawls nothing real. */
const EXAMPLES_FILE = 'examples.yaml';

export interface ScheduleSetOptions {
  id: string;
  cron: string;
  tz?: string;
  /** A sources file; default every sources/*.yaml (unless --catalog or --discover). */
  sources?: string;
  /** Crawl the national catalog's entries with discovered columns, as they are when the schedule fires. */
  catalog?: boolean;
  /** Re-discover the national catalog's portals that are not ok, or were found ok over RECHECK_DAYS ago. */
  discover?: boolean;
  /** National catalog entries whose GB/T 2260 code starts with this (implies --catalog without --discover). */
  region?: string;
  level?: GovernmentLevel;
}

async function withPipeline<T>(config: Config, fn: (pipeline: Pipeline) => Promise<T>): Promise<T> {
  await ensureRedis(config.redisUrl, null);
  const pipeline = await openPipeline(config);
  try {
    return await fn(pipeline);
  } finally {
    await pipeline.close();
  }
}

/** Creates or replaces a schedule of sources, of catalog crawls or of re-discoveries, and says what it will do. */
export async function scheduleSet(config: Config, options: ScheduleSetOptions): Promise<void> {
  // Checked before anything else is read: a misspelled zone or pattern is the likeliest mistake here.
  const tz = options.tz ?? config.timezone;
  validateCron(options.cron, tz);
  const { target, description } = await targetOf(config, options);
  await withPipeline(config, (pipeline) => setSchedule(pipeline, { id: options.id, cron: options.cron, tz, target }));
  console.log(`schedule ${options.id}: "${options.cron}" (${tz}), ${description}`);
}

async function targetOf(config: Config, options: ScheduleSetOptions): Promise<{ target: ScheduleTarget; description: string }> {
  const catalog: CatalogFilter = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.level ? { level: options.level } : {}),
  };
  if (options.discover) {
    if (options.sources || options.catalog)
      throw new UsageError('--discover re-verifies the national catalog: give it without --sources or --catalog');
    return {
      target: { kind: 'discover', catalog },
      description: `re-discovers ${describeCatalog(catalog)}: portals not ok, or found ok over ${RECHECK_DAYS} days ago`,
    };
  }
  if (options.catalog || options.region || options.level) {
    if (options.sources) throw new UsageError('give either --sources or the national catalog (--catalog, --region, --level), not both');
    const { sources, undiscovered } = await catalogSources(config, catalog);
    const now = `${sources.length} entr${sources.length === 1 ? 'y' : 'ies'} with discovered columns now, ${undiscovered.length} without`;
    return { target: { kind: 'catalog', catalog }, description: `crawls ${describeCatalog(catalog)} as discovered when it fires (${now})` };
  }
  const files = options.sources ? [options.sources] : catalogFiles();
  if (files.length === 0) throw new UsageError('no sources: give --sources FILE, --catalog, or put sources files in sources/*.yaml');
  if (files.every((file) => path.basename(file) === EXAMPLES_FILE)) {
    console.warn(
      `warning: ${files.join(', ')} lists invented example portals only; to schedule crawls of the national catalog, use --catalog [--region CODE] [--level LEVEL]`,
    );
  }
  const sources = files.flatMap(readSources);
  return { target: { kind: 'sources', sources }, description: `${sources.length} source(s)` };
}

function describeCatalog(filter: CatalogFilter): string {
  const picked = [filter.region ? `--region ${filter.region}` : '', filter.level ? `--level ${filter.level}` : '']
    .filter(Boolean)
    .join(' ');
  return `the national catalog${picked ? ` (${picked})` : ''}`;
}

/** What a listed schedule runs: its sources' ids, or the catalog entries it crawls or re-discovers. */
function describeSchedule(schedule: Schedule): string {
  if (schedule.kind === 'sources') return schedule.sources.join(', ');
  return `${schedule.kind === 'discover' ? 'discover' : 'crawl'} ${describeCatalog(schedule.catalog ?? {})}`;
}

export async function scheduleList(config: Config): Promise<void> {
  const schedules = await withPipeline(config, listSchedules);
  if (schedules.length === 0) {
    console.log('no schedules');
    return;
  }
  const table = plainTable(['id', 'cron', 'time zone', `next run (${config.timezone})`, 'runs']);
  for (const s of schedules)
    table.push([s.id, s.cron, s.tz ?? 'UTC', s.next ? formatInZone(s.next, config.timezone) : '', describeSchedule(s)]);
  console.log(table.toString());
}

export async function scheduleRemove(config: Config, id: string): Promise<void> {
  const known = await withPipeline(config, async (pipeline) => {
    if (await removeSchedule(pipeline, id)) return null;
    return (await listSchedules(pipeline)).map((schedule) => schedule.id);
  });
  if (known)
    throw new ScheduleError(
      `no schedule named ${id}; ${known.length > 0 ? `there are: ${known.join(', ')}` : 'there are none'} (see \`yangguang schedule list\`)`,
    );
  console.log(`schedule ${id} removed`);
}
