/**
 * Nightly (or any cron) crawls on BullMQ job schedulers: they live in Redis, so they survive worker restarts,
 * and whichever crawl worker is up when one fires starts the run.
 */
import type { Source } from '../crawlers/types.ts';
import type { DocumentFilter } from './document-filter.ts';
import type { Pipeline } from './pipeline.ts';

/** Name of the job a scheduler adds to the crawl queue; its processor starts a run over `sources`. */
export const SCHEDULED_RUN_JOB = 'scheduled-run';

export interface ScheduledRunJobData {
  scheduleId: string;
  sources: Source[];
  filter?: DocumentFilter;
}

export interface Schedule {
  id: string;
  cron: string;
  tz: string | null;
  next: string | null;
  sources: string[];
}

/** Creates or replaces the schedule `id`. `cron` is a 5- or 6-field pattern, `tz` an IANA zone (Asia/Shanghai). */
export async function setSchedule(
  pipeline: Pipeline,
  schedule: { id: string; cron: string; tz?: string; sources: Source[] },
): Promise<void> {
  const data: ScheduledRunJobData = { scheduleId: schedule.id, sources: schedule.sources };
  await pipeline.queues.crawl.upsertJobScheduler(
    schedule.id,
    { pattern: schedule.cron, ...(schedule.tz ? { tz: schedule.tz } : {}) },
    { name: SCHEDULED_RUN_JOB, data, opts: { attempts: 1 } },
  );
}

export async function listSchedules(pipeline: Pipeline): Promise<Schedule[]> {
  const schedulers = await pipeline.queues.crawl.getJobSchedulers(0, -1, true);
  return schedulers.map((scheduler) => {
    const data = scheduler.template?.data as ScheduledRunJobData | undefined;
    return {
      id: scheduler.key,
      cron: scheduler.pattern ?? `every ${scheduler.every} ms`,
      tz: scheduler.tz ?? null,
      next: scheduler.next ? new Date(scheduler.next).toISOString() : null,
      sources: (data?.sources ?? []).map((source) => source.id),
    };
  });
}

/** Resolves false when there was no such schedule. */
export async function removeSchedule(pipeline: Pipeline, id: string): Promise<boolean> {
  return pipeline.queues.crawl.removeJobScheduler(id);
}
