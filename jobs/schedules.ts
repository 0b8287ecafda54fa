/**
 * Cron-driven work on BullMQ job schedulers: they live in Redis, so they survive worker restarts, and whichever
 * crawl worker is up when one fires does its work. A schedule crawls a fixed list of sources, crawls the national
 * catalog (sources built when it fires, from the latest discoveries), or re-discovers the catalog's due portals.
 */
import type { Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { Config } from '../config/config.ts';
import type { CatalogFilter } from '../crawlers/catalog.ts';
import type { DiscoverySummary } from '../crawlers/discover/index.ts';
import type { Source } from '../crawlers/types.ts';
import { catalogSources, discoverCatalog } from './catalog-runs.ts';
import type { DocumentFilter } from '../ledger/document-filter.ts';

/** What schedules need of the pipeline (pipeline.ts hands itself over; the arrow points from it to here). */
export interface SchedulePipeline {
  config: Config;
  queues: { crawl: Queue };
}

/** Name of the job a scheduler adds to the crawl queue; runScheduledJob does its work. */
export const SCHEDULED_RUN_JOB = 'scheduled-run';

/** What a schedule does when it fires. */
export type ScheduleTarget =
  /** Crawls these sources, as they were when the schedule was set. */
  | { kind: 'sources'; sources: Source[]; filter?: DocumentFilter }
  /** Crawls the catalog entries picked by `catalog` whose columns discovery has found (as of the firing). */
  | { kind: 'catalog'; catalog: CatalogFilter; catalogFile?: string }
  /** Discovers the picked entries whose latest discovery is not ok, or ok but older than RECHECK_DAYS. */
  | { kind: 'discover'; catalog: CatalogFilter; catalogFile?: string };

/** A scheduled job's payload. Schedulers set before targets had a kind hold `{ scheduleId, sources }`. */
export type ScheduledRunJobData = { scheduleId: string } & (
  ScheduleTarget | { kind?: undefined; sources: Source[]; filter?: DocumentFilter }
);

export interface Schedule {
  id: string;
  cron: string;
  tz: string | null;
  next: string | null;
  kind: ScheduleTarget['kind'];
  /** The sources' ids, for a schedule of sources; empty otherwise. */
  sources: string[];
  /** The entries picked, for a catalog or discover schedule; null otherwise. */
  catalog: CatalogFilter | null;
}

/** A schedule that cannot be set or found: a bad cron pattern or time zone, an unknown id. */
export class ScheduleError extends Error {
  readonly code = 'SCHEDULE_INVALID';
}

/** Throws a ScheduleError unless `zone` is an IANA time zone this Node knows (Asia/Shanghai, UTC). */
export function validateTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ScheduleError(`unknown time zone "${zone}": give an IANA name such as Asia/Shanghai or UTC`);
  }
}

/** Throws a ScheduleError naming what is wrong with a cron pattern (5 fields, or 6 with seconds first). */
export function validateCron(pattern: string, tz?: string): void {
  if (tz) validateTimeZone(tz);
  try {
    CronExpressionParser.parse(pattern, tz ? { tz } : {});
  } catch (error) {
    throw new ScheduleError(`bad cron pattern "${pattern}": ${(error as Error).message} (e.g. "0 2 * * *" for 02:00 every day)`);
  }
}

/** Creates or replaces the schedule `id`. `cron` is a 5- or 6-field pattern, `tz` an IANA zone (Asia/Shanghai). */
export async function setSchedule(
  pipeline: SchedulePipeline,
  schedule: { id: string; cron: string; tz?: string; target: ScheduleTarget },
): Promise<void> {
  validateCron(schedule.cron, schedule.tz);
  const data: ScheduledRunJobData = { scheduleId: schedule.id, ...schedule.target };
  await pipeline.queues.crawl.upsertJobScheduler(
    schedule.id,
    { pattern: schedule.cron, ...(schedule.tz ? { tz: schedule.tz } : {}) },
    { name: SCHEDULED_RUN_JOB, data, opts: { attempts: 1 } },
  );
}

/** Every schedule with its next firing, read from Redis. */
export async function listSchedules(pipeline: SchedulePipeline): Promise<Schedule[]> {
  const schedulers = await pipeline.queues.crawl.getJobSchedulers(0, -1, true);
  return schedulers.map((scheduler) => {
    const target = targetOf(scheduler.template?.data as ScheduledRunJobData | undefined);
    return {
      id: scheduler.key,
      cron: scheduler.pattern ?? `every ${scheduler.every} ms`,
      tz: scheduler.tz ?? null,
      next: scheduler.next ? new Date(scheduler.next).toISOString() : null,
      kind: target.kind,
      sources: target.kind === 'sources' ? target.sources.map((source) => source.id) : [],
      catalog: target.kind === 'sources' ? null : target.catalog,
    };
  });
}

/** Resolves false when there was no such schedule. */
export async function removeSchedule(pipeline: SchedulePipeline, id: string): Promise<boolean> {
  return pipeline.queues.crawl.removeJobScheduler(id);
}

/** The target of a payload, reading a payload without a kind as the sources schedules it was before. */
function targetOf(data: ScheduledRunJobData | undefined): ScheduleTarget {
  if (!data) return { kind: 'sources', sources: [] };
  if (data.kind === undefined) return { kind: 'sources', sources: data.sources, ...(data.filter ? { filter: data.filter } : {}) };
  return data;
}

/** What a firing did: started a crawl run (null when there was nothing to crawl), or discovered portals. */
export type ScheduledRunResult = { runId: string | null; sources: number } | { discovered: DiscoverySummary };

/**
 * Does a firing's work. A crawl's run id derives from the scheduler's job (`<schedule>-<fired at>`), so that a
 * job run again after a crash starts nothing new; `startRun` is the pipeline's enqueueRun.
 */
export async function runScheduledJob<P extends SchedulePipeline>(
  pipeline: P,
  job: { data: ScheduledRunJobData; timestamp: number },
  startRun: (pipeline: P, sources: Source[], runId: string, options: { filter?: DocumentFilter }) => Promise<string>,
): Promise<ScheduledRunResult> {
  const target = targetOf(job.data);
  if (target.kind === 'discover') return { discovered: await rediscoverCatalog(pipeline.config, target) };
  const sources =
    target.kind === 'catalog' ? (await catalogSources(pipeline.config, target.catalog, target.catalogFile)).sources : target.sources;
  if (sources.length === 0) return { runId: null, sources: 0 };
  const runId = `${job.data.scheduleId}-${new Date(job.timestamp).toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const filter = target.kind === 'sources' ? target.filter : undefined;
  return { runId: await startRun(pipeline, sources, runId, filter ? { filter } : {}), sources: sources.length };
}

/** Re-verifies the picked portals that are due (not ok, or ok but stale) and records what it finds. */
function rediscoverCatalog(config: Config, target: { catalog: CatalogFilter; catalogFile?: string }): Promise<DiscoverySummary> {
  return discoverCatalog(config, { filter: target.catalog, ...(target.catalogFile ? { catalogFile: target.catalogFile } : {}) });
}
