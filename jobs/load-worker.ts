/**
 * The single writer's worker: it takes load-queue jobs itself (BullMQ's manual processing: getNextJob, then
 * moveToCompleted / moveToFailed) — up to loadBatchSize of them, or what arrives within loadBatchWaitMs of the first —
 * and writes them in one write window (load/batch.ts): one open of the DuckDB file, one transaction. While a reader
 * holds the file the batch waits for it with its jobs' locks renewed, spending no attempt, and says so in the log and
 * in Redis (jobs/warehouse-wait.ts, shown by `crawl --wait`). Jobs that must never be dropped (failure records, run
 * summaries) stay queued until they are written.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { withWriteWindow, type ItemOutcome, type WindowPart } from '../load/batch.ts';
import { WarehouseLockedError } from '../load/errors.ts';
import { logger } from '../shared/logger.ts';
import { createRedis } from './redis.ts';
import { clearWarehouseWait, publishWarehouseWait, reportWarehouseWait, warehouseWait, type WarehouseWait } from './warehouse-wait.ts';
import { backoffWithJitter, classifyError, toJobError, type ErrorClass } from './retry-policy.ts';
import type { LoadKind } from './load-kinds.ts';

/** What the load worker needs of the pipeline: its configuration, and the run bookkeeping around each job's end. */
export interface LoadWorkerContext {
  config: Config;
  /** Redis for the loader's status key (jobs/warehouse-wait.ts). */
  redis: Redis;
  /** The kinds of load-queue job, by job name. */
  kinds: Readonly<Record<string, LoadKind>>;
  /**
   * Checks a job before it is prepared, settling and recording it itself when it must fail (invalid data, a job whose
   * worker died too often): returns the error to fail it with, or null to go on.
   */
  admit(job: Job): Promise<Error | null>;
  /** Settles a written job in its run (after its kind's `done`). */
  completed(job: Job): Promise<void>;
  /** Records and settles a job that failed for good. */
  failed(job: Job, failure: ErrorClass): Promise<void>;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

/** The loader's current wait for the DuckDB file (its load-queue jobs in hand wait with it), or null. */
export function loaderWaiting(redis: Redis, prefix: string): Promise<WarehouseWait | null> {
  return warehouseWait(redis, prefix, 'load');
}

/** Jobs asked of the queue at once while gathering a batch (each a Redis round trip). */
const TAKE_AT_ONCE = 25;

/** The load queue's batch worker: a BullMQ Worker without a processor, driven by its own loop until closed. */
export class LoadWorker extends Worker {
  private stopping = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private readonly token = `${hostname()}:${process.pid}:loader`;

  constructor(
    private readonly context: LoadWorkerContext,
    connection: Redis,
  ) {
    super('load', null, {
      connection,
      name: `${hostname()}:${process.pid}`,
      prefix: context.config.queuePrefix,
      autorun: false,
      // A blocking wait for the first job of a batch lasts at most a second, so that close() is not held up by it.
      drainDelay: 1,
      lockDuration: context.lockDurationMs,
      stalledInterval: context.stalledIntervalMs,
      maxStalledCount: context.maxStalledCount,
      settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade) },
    });
  }

  /** Starts taking batches (and the queue's stalled-job checks: a killed loader's jobs go back to waiting). */
  start(): this {
    this.loop = (async () => {
      await this.startStalledCheckTimer();
      await this.takeBatches();
    })().catch((error: Error) => void this.emit('error', error));
    // Our loop is the worker's main loop, as run() would mark its own: see close().
    this.mainLoopRunning = this.loop;
    return this;
  }

  /**
   * Finishes the batch in hand (a wait for a reader is given up: its jobs go back to waiting), then closes. BullMQ's
   * close ends a blocking wait for the next job at once (it drops the blocking connection) before awaiting the main
   * loop; awaiting the loop first would sit out that wait — the drain delay, or up to BullMQ's 10 s cap while the
   * queue holds delayed jobs — and hold up every process that closes its loader (`crawl --inline`'s exit).
   */
  override async close(force = false): Promise<void> {
    this.stopping.abort(new Error('the loader is stopping'));
    await super.close(force);
    await this.loop;
  }

  private async takeBatches(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let jobs: Job[];
      try {
        jobs = await this.nextBatch();
      } catch (error) {
        if (this.stopping.signal.aborted) break;
        this.emit('error', error as Error);
        await sleep(1_000);
        continue;
      }
      if (jobs.length > 0) await this.writeBatch(jobs);
    }
  }

  /** Up to loadBatchSize jobs: the first one blocks (for up to BullMQ's drain delay), the rest for loadBatchWaitMs. */
  private async nextBatch(): Promise<Job[]> {
    const first = await this.getNextJob(this.token, { block: true });
    if (!first) {
      await sleep(10);
      return [];
    }
    const jobs = [first];
    const deadline = Date.now() + this.context.config.loadBatchWaitMs;
    while (jobs.length < this.context.config.loadBatchSize && !this.stopping.signal.aborted) {
      const ready = await this.readyJobs(this.context.config.loadBatchSize - jobs.length);
      jobs.push(...ready);
      if (ready.length > 0) continue;
      const left = deadline - Date.now();
      if (left <= 0) break;
      await sleep(Math.min(25, left));
    }
    return jobs;
  }

  /** Up to `most` jobs ready at once (none is waited for), taken a few at a time in parallel. */
  private async readyJobs(most: number): Promise<Job[]> {
    const jobs: Job[] = [];
    while (jobs.length < most) {
      const taking = Math.min(TAKE_AT_ONCE, most - jobs.length);
      const taken = await Promise.all(Array.from({ length: taking }, () => this.getNextJob(this.token, { block: false })));
      const ready = taken.filter((job): job is Job => job !== undefined);
      jobs.push(...ready);
      if (ready.length < taking) break;
    }
    return jobs;
  }

  /**
   * Prepares, writes and settles one batch, renewing its jobs' locks throughout; while the window has room and more jobs
   * are ready, writes them in the same window (fewer opens and closes of the file, each with its checkpoint).
   */
  private async writeBatch(jobs: Job[]): Promise<void> {
    const held = new Set(jobs);
    const renewal = setInterval(() => void this.renewLocks(held), this.context.lockDurationMs / 2);
    // Written jobs are settled in Redis while the window goes on (or closes): the file is not held for bookkeeping.
    const settling: Promise<void>[] = [];
    try {
      let prepared = await this.prepareAll(jobs, held);
      if (prepared.length === 0) return;
      const window = await withWriteWindow(
        this.context.config.duckdbPath,
        async (open) => {
          await this.clearWait();
          let batches = 0;
          while (prepared.length > 0) {
            const parts = partsOf(prepared);
            const started = performance.now();
            const written = await open.write(parts.map((part) => part.window));
            settling.push(this.settleWritten(parts, written.outcomes, held));
            logger().debug(
              { stage: 'load', jobs: prepared.length, writeMs: Math.round(performance.now() - started), split: written.split },
              'batch written',
            );
            batches += 1;
            if (!open.hasRoom() || this.stopping.signal.aborted) break;
            const more = await this.readyJobs(this.context.config.loadBatchSize);
            more.forEach((job) => held.add(job));
            prepared = await this.prepareAll(more, held);
          }
          return batches;
        },
        this.waitOptions(held),
      ).catch(async (error: unknown) => {
        await this.clearWait();
        // Given up on (the loader is stopping) or the file could not be opened: the jobs still in hand were not written.
        const unwritten = prepared.filter(({ job }) => held.has(job));
        const givenUp = this.stopping.signal.aborted && (error instanceof WarehouseLockedError || error === this.stopping.signal.reason);
        if (givenUp) {
          await Promise.all(unwritten.map(({ job }) => job.moveToWait(this.token).catch(() => undefined)));
        } else {
          await Promise.all(unwritten.map(({ job, kind }) => this.fail(job, kind, error, held)));
        }
        return null;
      });
      if (window)
        logger().debug({ stage: 'load', batches: window.result, heldMs: window.heldMs, waitedMs: window.waitedMs }, 'write window');
    } finally {
      await Promise.all(settling);
      clearInterval(renewal);
    }
  }

  /** Completes or fails each written job by its outcome. */
  private async settleWritten(parts: { entries: Prepared[] }[], outcomes: ItemOutcome[][], held: Set<Job>): Promise<void> {
    await Promise.all(
      parts.flatMap((part, p) =>
        part.entries.map(async ({ job, kind, item }, i) => {
          const outcome = outcomes[p]![i]!;
          if (outcome.ok) await this.complete(job, kind, item, outcome.result, held);
          else await this.fail(job, kind, outcome.error, held);
        }),
      ),
    );
  }

  /** Each job's item, read and checked before the window opens; a job that cannot be prepared fails on its own. */
  private async prepareAll(jobs: Job[], held: Set<Job>): Promise<Prepared[]> {
    const prepared = await Promise.all(
      jobs.map(async (job): Promise<Prepared | null> => {
        const refused = await this.context.admit(job).catch((error: Error) => error);
        if (refused) {
          await this.moveToFailed(job, refused, held);
          return null;
        }
        const kind = this.context.kinds[job.name];
        if (!kind) {
          await this.moveToFailed(job, new Error(`the loader has no writer for "${job.name}" jobs`), held);
          return null;
        }
        try {
          return { job, kind, item: await kind.prepare(job) };
        } catch (error) {
          await this.fail(job, kind, error, held);
          return null;
        }
      }),
    );
    return prepared.filter((entry): entry is Prepared => entry !== null);
  }

  /** Waits for the file as long as it takes (no attempt is spent), saying so in the log and in Redis. */
  private waitOptions(held: Set<Job>) {
    const report = reportWarehouseWait(this.context.redis, this.context.config.queuePrefix, 'load', { jobs: () => held.size });
    return { timeoutMs: Infinity, signal: this.stopping.signal, onWait: report.onWait };
  }

  /** The file is open (or given up on): the loader's status, a wait's or a failed write's, goes. */
  private async clearWait(): Promise<void> {
    await clearWarehouseWait(this.context.redis, this.context.config.queuePrefix, 'load').catch(() => undefined);
  }

  private async complete(job: Job, kind: LoadKind, item: unknown, result: unknown, held: Set<Job>): Promise<void> {
    try {
      const value = await kind.done(job, item, result);
      if (kind.settles) await this.context.completed(job);
      await job.moveToCompleted(value, this.token, false);
    } catch (error) {
      this.emit('error', error as Error); // Redis trouble: the job's lock lapses and it is taken again (all writes are idempotent)
    } finally {
      held.delete(job);
    }
  }

  /**
   * A job that could not be written: kept queued (no attempt spent) if its kind is never dropped, else retried by
   * BullMQ's attempts and backoff, and recorded and settled once it fails for good.
   */
  private async fail(job: Job, kind: LoadKind, error: unknown, held: Set<Job>): Promise<void> {
    const failure = classifyError(error);
    try {
      if (kind.keepUntilWritten) {
        const delayMs = backoffWithJitter(Math.min(job.attemptsStarted, 8));
        logger().warn({ stage: 'load', job: job.id, code: failure.code }, `kept queued until it is written: ${failure.reason}`);
        await job.log(`not written yet, kept queued: ${failure.code}: ${failure.reason}`);
        // `crawl --wait` shows why its run's failure records or summary are not written yet.
        const status: WarehouseWait = {
          stage: 'load',
          since: new Date().toISOString(),
          waitedMs: 0,
          jobs: 1,
          reason: `a write failed, retried in ${Math.round(delayMs / 1000)} s: ${failure.code}: ${failure.reason}`,
        };
        await publishWarehouseWait(this.context.redis, this.context.config.queuePrefix, status, delayMs + 15_000);
        await job.moveToDelayed(Date.now() + delayMs, this.token);
        return;
      }
      const final = !failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (final) await this.context.failed(job, failure);
      await job.moveToFailed(toJobError(error), this.token, false);
    } catch (bookkeeping) {
      this.emit('error', bookkeeping as Error);
    } finally {
      held.delete(job);
    }
  }

  private async moveToFailed(job: Job, error: Error, held: Set<Job>): Promise<void> {
    try {
      await job.moveToFailed(error, this.token, false);
    } catch (bookkeeping) {
      this.emit('error', bookkeeping as Error);
    } finally {
      held.delete(job);
    }
  }

  private async renewLocks(held: Set<Job>): Promise<void> {
    await Promise.all([...held].map((job) => job.extendLock(this.token, this.context.lockDurationMs).catch(() => undefined)));
  }
}

interface Prepared {
  job: Job;
  kind: LoadKind;
  item: unknown;
}

/** The batch's entries grouped by kind (in the order kinds first appear), each group a part of the window. */
function partsOf(prepared: Prepared[]): { window: WindowPart; entries: Prepared[] }[] {
  const byKind = new Map<LoadKind, Prepared[]>();
  for (const entry of prepared) {
    const entries = byKind.get(entry.kind) ?? [];
    entries.push(entry);
    byKind.set(entry.kind, entries);
  }
  return [...byKind].map(([kind, entries]) => ({ window: { items: entries.map((entry) => entry.item), write: kind.write }, entries }));
}

/** Starts the load queue's batch worker on a Redis connection of its own. */
export function startLoadWorker(context: Omit<LoadWorkerContext, 'redis'> & { redisUrl: string }): LoadWorker {
  const connection = createRedis(context.redisUrl);
  const status = createRedis(context.redisUrl);
  const worker = new LoadWorker({ ...context, redis: status }, connection);
  worker.on('closed', () => {
    connection.disconnect();
    status.disconnect();
  });
  return worker.start();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
