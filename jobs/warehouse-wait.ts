/**
 * What a stage says while it waits for the DuckDB file another process holds (a long `yangguang sql`, the loader's
 * window, a second loader): a status in Redis per stage (`<prefix>:warehouse-wait:<stage>`, gone a few seconds after
 * the last word of the wait), a warning in the log now and then, and whatever the stage adds (its jobs' own logs).
 * `crawl --wait` and `reprocess --wait` read the statuses (cli/run-wait.ts).
 */
import type { Redis } from 'ioredis';
import { logger } from '../shared/logger.ts';

/** The stages that wait for the file: crawl (for where each crawl starts) and load (for its write window). */
export const WAITING_STAGES = ['crawl', 'load'] as const;
export type WaitingStage = (typeof WAITING_STAGES)[number];

/** A stage's wait for the DuckDB file, as kept in Redis while it lasts. */
export interface WarehouseWait {
  stage: WaitingStage;
  /** ISO 8601: when this wait started. */
  since: string;
  waitedMs: number;
  /** Jobs of the stage waiting with it. */
  jobs: number;
  reason: string;
}

/** How long a status outlives the last word of its wait, in ms: a process that died waiting leaves none for long. */
const STATUS_TTL_MS = 15_000;

/** How often a waiting stage logs that it waits, at most (the first time at once). */
export const WAIT_LOG_EVERY_MS = 10_000;

const statusKey = (prefix: string, stage: WaitingStage) => `${prefix}:warehouse-wait:${stage}`;

/** Keeps `wait` as its stage's status for `ttlMs` (default 15 s past now). */
export async function publishWarehouseWait(redis: Redis, prefix: string, wait: WarehouseWait, ttlMs = STATUS_TTL_MS): Promise<void> {
  await redis.set(statusKey(prefix, wait.stage), JSON.stringify(wait), 'PX', Math.round(ttlMs));
}

/** The stage no longer waits. */
export async function clearWarehouseWait(redis: Redis, prefix: string, stage: WaitingStage): Promise<void> {
  await redis.del(statusKey(prefix, stage));
}

/** The stage's current wait for the file, or null. */
export async function warehouseWait(redis: Redis, prefix: string, stage: WaitingStage): Promise<WarehouseWait | null> {
  const value = await redis.get(statusKey(prefix, stage));
  return value ? (JSON.parse(value) as WarehouseWait) : null;
}

/** Every stage's current wait for the file (none when nothing waits). */
export async function warehouseWaits(redis: Redis, prefix: string): Promise<WarehouseWait[]> {
  const values = await redis.mget(WAITING_STAGES.map((stage) => statusKey(prefix, stage)));
  return values.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as WarehouseWait);
}

/** Who waits, as a person reads it. */
const WHO: Record<WaitingStage, string> = { crawl: 'the crawl stage', load: 'the loader' };

/** `the DuckDB file: the loader has waited 12 s with 3 job(s) (cannot open …)`: what `--wait` says a run waits for. */
export function describeWarehouseWait(wait: WarehouseWait): string {
  return `the DuckDB file: ${WHO[wait.stage]} has waited ${Math.round(wait.waitedMs / 1000)} s with ${wait.jobs} job(s) (${wait.reason})`;
}

export interface WaitReportOptions {
  /** Jobs of the stage waiting now. */
  jobs: () => number;
  /** Called with the log line's words whenever the wait is logged (at once, then every WAIT_LOG_EVERY_MS). */
  said?: (message: string, waitedMs: number) => void;
}

/** One wait's reporter: `onWait` fits load/retry-locked.ts LockRetryOptions.onWait; `end` once the wait is over. */
export interface WarehouseWaitReport {
  onWait(waitedMs: number, error: Error): void;
  /** The status goes (if one was published). Never throws. */
  end(): Promise<void>;
}

/**
 * Reports one wait of `stage` for the file: each call of `onWait` refreshes the stage's status in Redis; the first,
 * and then one every WAIT_LOG_EVERY_MS, is also a warning in the log and goes to `said`. Redis trouble is ignored: the
 * status is a courtesy, the wait goes on without it.
 */
export function reportWarehouseWait(redis: Redis, prefix: string, stage: WaitingStage, options: WaitReportOptions): WarehouseWaitReport {
  const since = new Date().toISOString();
  let published = false;
  let lastLog: number | null = null;
  return {
    onWait(waitedMs, error) {
      const jobs = options.jobs();
      published = true;
      void publishWarehouseWait(redis, prefix, { stage, since, waitedMs, jobs, reason: error.message }).catch(() => undefined);
      if (lastLog !== null && waitedMs - lastLog < WAIT_LOG_EVERY_MS) return;
      lastLog = waitedMs;
      const message = `${stage === 'load' ? 'loader' : stage} waiting for the DuckDB file: ${error.message}`;
      logger().warn({ stage, jobs, waitedMs }, message);
      options.said?.(message, waitedMs);
    },
    async end() {
      if (published) await clearWarehouseWait(redis, prefix, stage).catch(() => undefined);
    },
  };
}
