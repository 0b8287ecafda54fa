/**
 * Wires the stages to BullMQ: one queue per stage, a worker per stage, and the run bookkeeping around them.
 * The stages themselves know nothing about queues (see stage-processors.ts).
 */
import { hostname } from 'node:os';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Source } from '../crawlers/types.ts';
import { sha256Hex } from '../shared/files.ts';
import { JOB_ATTEMPTS, backoffWithJitter, classifyError, toJobError, type ErrorClass } from './retry-policy.ts';
import type { DocumentFilter } from '../ledger/document-filter.ts';
import { LOAD_JOB, RECORD_RUN_JOB, STAGES, validateJobData, type RecordFailureJobData, type Stage } from './payloads.ts';
import { RunTracker, type JobSettlement } from './run-tracker.ts';
import { createRedis } from './redis.ts';
import { SCHEDULED_RUN_JOB, runScheduledJob } from './schedules.ts';
import { processors, type NextJobs, type StageOutput } from './stage-processors.ts';
import { RUN_COUNTER } from '../ledger/run-counters.ts';
import { jobActivity, reportJob } from './job-log.ts';
import { loadKinds } from './load-kinds.ts';
import { startLoadWorker } from './load-worker.ts';
import { logger } from '../shared/logger.ts';

/** Where the failures of jobs whose data names no sound run id (or that are a run's control jobs) are recorded. */
export const INVALID_JOBS_RUN = 'invalid-jobs';

export interface Pipeline {
  config: Config;
  redis: Redis;
  queues: Record<Stage, Queue>;
  tracker: RunTracker;
  close(): Promise<void>;
}

/** Jobs are kept a while after they end, so that the queue UI and `status` can show them. */
const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'jitter' },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Opens the queues of every stage on one Redis connection. */
export async function openPipeline(config: Config): Promise<Pipeline> {
  const redis = createRedis(config.redisUrl);
  const queues = Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      new Queue(stage, { connection: redis, prefix: config.queuePrefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }),
    ]),
  ) as Record<Stage, Queue>;
  // While Redis is down every queue reports every reconnect attempt: say it once in a while, not hundreds of times.
  const logError = throttledLogger('queue');
  for (const queue of Object.values(queues)) queue.on('error', logError);
  // DuckDB takes one writer: one batch of load jobs at a time across every worker process and machine (a second loader
  // process gets only what the first does not hold, and takes turns with it on the file).
  await queues.load.setGlobalConcurrency(config.loadBatchSize);
  return {
    config,
    redis,
    queues,
    tracker: new RunTracker(redis, config.queuePrefix),
    close: async () => {
      await Promise.all(Object.values(queues).map((queue) => queue.close()));
      redis.disconnect();
    },
  };
}

/** What a run does besides crawling its sources. */
export interface RunOptions {
  /** Backfill: only discovered documents passing this filter go on to fetch. */
  filter?: DocumentFilter;
  /** Re-check every document, also those behind unchanged list pages (see ledger/recheck-policy.ts). */
  recheck?: boolean;
}

/** Starts a run: one crawl job per source, each carrying the run's options. Returns the run id. */
export async function enqueueRun(pipeline: Pipeline, sources: Source[], runId = newRunId(), options: RunOptions = {}): Promise<string> {
  const extra = { ...(options.filter ? { filter: options.filter } : {}), ...(options.recheck ? { recheck: true } : {}) };
  if (options.filter) {
    await pipeline.tracker.begin(runId, new Date().toISOString());
    await pipeline.tracker.add(runId, RUN_COUNTER.filtered);
  }
  await enqueueJobs(
    pipeline,
    runId,
    'crawl',
    sources.map((source) => ({ name: 'crawl', key: source.id, data: { runId, source, ...extra } })),
  );
  return runId;
}

/** Starts a run of `jobs` on `stage` (keyed within the run): a crawl run, or re-processing. */
export async function enqueueJobs(
  pipeline: Pipeline,
  runId: string,
  stage: Stage,
  jobs: { name: string; key: string; data: unknown }[],
): Promise<void> {
  await pipeline.tracker.begin(runId, new Date().toISOString());
  await expectAndAdd(
    pipeline,
    runId,
    stage,
    jobs.map(({ name, key, data }) => ({ name, data, opts: { jobId: jobId(runId, stage, key) } })),
  );
  if (jobs.length === 0) await finishRun(pipeline, runId, 1);
}

/** A logger of errors that prints at most one line per `everyMs` (with how many it skipped). */
function throttledLogger(label: string, everyMs = 10_000): (error: Error) => void {
  let last = 0;
  let skipped = 0;
  return (error) => {
    if (Date.now() - last < everyMs) {
      skipped += 1;
      return;
    }
    logger().warn({ source: label, ...(skipped ? { skipped } : {}) }, error.message);
    last = Date.now();
    skipped = 0;
  };
}

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Deterministic job ids: the same work within a run is added once (BullMQ ignores a duplicate id). */
export function jobId(runId: string, stage: Stage, key: string): string {
  return `${runId}.${stage}.${key}`.replace(/:/g, '_');
}

export interface WorkerOptions {
  stages?: readonly Stage[];
  /**
   * Jobs in flight per extract and parse worker (default 2). Crawl and fetch, which mostly wait for their hosts'
   * turns, take config.crawlJobConcurrency and config.fetchJobConcurrency; load is always 1.
   */
  concurrency?: number;
}

/** Jobs in flight for a stage's worker in one process. */
function stageConcurrency(config: Config, stage: Stage, options: WorkerOptions): number {
  if (stage === 'load') return 1;
  if (stage === 'crawl') return config.crawlJobConcurrency;
  if (stage === 'fetch') return config.fetchJobConcurrency;
  return options.concurrency ?? 2;
}

/**
 * Lock and stalled-check timing: a job whose worker died (SIGKILL, power loss) goes back to waiting once its lock has
 * expired and a stalled check has seen it twice: within lockDuration + 2 × stalledInterval ≈ 11 s. A live worker renews its locks every lockDuration / 2, which is why
 * CPU-heavy work must not block the event loop for seconds (extract runs in a worker thread).
 */
export const LOCK_DURATION_MS = 5_000;
export const STALLED_INTERVAL_MS = 3_000;
/**
 * A job may be orphaned by a dead worker this often before BullMQ fails it (in a Lua script, without calling us: such
 * a job would hold its run open). Every stage is idempotent, so be generous.
 */
const MAX_STALLED_COUNT = 10;
/**
 * A job whose worker died this often while holding it (a document that crashes or OOMs the process) is failed by us,
 * before BullMQ's own limit, so that it is recorded with a reason and settled like any other failure.
 */
export const WORKER_DEATHS_LIMIT = 5;

/**
 * Most jobs one BullMQ Worker holds. A Worker takes its jobs one after the other, each with its lock already running,
 * before it starts any of them: at a concurrency of hundreds, under load, the first job's lock could run out before
 * the job starts (and the job would run twice). A stage's concurrency above this is spread over several Workers.
 */
const JOBS_PER_WORKER = 50;

/** Starts the workers of each stage, each on its own connection (workers block on Redis). */
export function startWorkers(pipeline: Pipeline, options: WorkerOptions = {}): Worker[] {
  const stages = options.stages ?? STAGES;
  return stages.flatMap((stage) => {
    if (stage === 'load') return [startLoader(pipeline)];
    const concurrency = stageConcurrency(pipeline.config, stage, options);
    const workers = Math.ceil(concurrency / JOBS_PER_WORKER);
    return Array.from({ length: workers }, (_, index) => startWorker(pipeline, stage, Math.ceil((concurrency - index) / workers)));
  });
}

/** The load queue's batch writer (jobs/load-worker.ts), settling its jobs in their runs as runJob does. */
function startLoader(pipeline: Pipeline): Worker {
  return startLoadWorker({
    config: pipeline.config,
    redisUrl: pipeline.config.redisUrl,
    kinds: loadKinds(pipeline.config, pipeline.tracker),
    admit: async (job) => {
      try {
        validateJobData(pipeline.config, 'load', job.name, job.data);
      } catch (error) {
        return failInvalidJob(pipeline, 'load', job, error).catch((failed: Error) => failed);
      }
      if (job.stalledCounter >= WORKER_DEATHS_LIMIT) return failKillerJob(pipeline, 'load', job).catch((failed: Error) => failed);
      return null;
    },
    completed: async (job) => {
      await reportJob(job, 'load', { outcome: 'completed', ms: Date.now() - (job.processedOn ?? Date.now()) });
      await settle(pipeline, job.data.runId, job, counterOf('load', job), 'completed');
    },
    failed: async (job, failure) => {
      await reportJob(job, 'load', {
        outcome: 'failed',
        ms: Date.now() - (job.processedOn ?? Date.now()),
        code: failure.code,
        reason: failure.reason,
      });
      await settleFailure(pipeline, 'load', job, failure);
    },
    lockDurationMs: LOADER_LOCK_DURATION_MS,
    stalledIntervalMs: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
  });
}

/**
 * The loader's locks last longer than other workers': appending a batch's rows to DuckDB runs on the event loop for a
 * second or two under load, and a lock that lapsed meanwhile would count a live loader's jobs as orphaned. A killed
 * loader's batch is taken over within ~20 s.
 */
const LOADER_LOCK_DURATION_MS = 3 * LOCK_DURATION_MS;

function startWorker(pipeline: Pipeline, stage: Exclude<Stage, 'load'>, concurrency: number): Worker {
  const connection = createRedis(pipeline.config.redisUrl);
  const worker = new Worker(stage, (job) => runJob(pipeline, stage, job), {
    connection,
    // Shown by the queue UI as the job's processedBy: which machine and process holds it.
    name: `${hostname()}:${process.pid}`,
    prefix: pipeline.config.queuePrefix,
    concurrency,
    lockDuration: LOCK_DURATION_MS,
    stalledInterval: STALLED_INTERVAL_MS,
    maxStalledCount: MAX_STALLED_COUNT,
    settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade) },
  });
  worker.on('error', throttledLogger(`${stage} worker`));
  // BullMQ leaves a connection it was given open on close; it is this worker's alone, so end it too.
  worker.on('closed', () => connection.disconnect());
  return worker;
}

/** Runs one job: the stage's processor, then the next stage's jobs, then the run bookkeeping. */
async function runJob(pipeline: Pipeline, stage: Exclude<Stage, 'load'>, job: Job): Promise<unknown> {
  // Job data comes through Redis: checked before anything reads a file, a URL or the warehouse on its word.
  try {
    validateJobData(pipeline.config, stage, job.name, job.data);
  } catch (error) {
    return failInvalidJob(pipeline, stage, job, error);
  }
  if (job.name === SCHEDULED_RUN_JOB) return runScheduledJob(pipeline, job, enqueueRun);
  if (job.stalledCounter >= WORKER_DEATHS_LIMIT) return failKillerJob(pipeline, stage, job);
  const started = performance.now();
  const activity = jobActivity(job, stage);
  let output: StageOutput;
  try {
    output = await processors[stage](pipeline.config, job, { tracker: pipeline.tracker, activity, redis: pipeline.redis });
  } catch (error) {
    await activity.end();
    const failure = classifyError(error);
    const final = !failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await reportJob(job, stage, {
      outcome: final ? 'failed' : 'retrying',
      ms: performance.now() - started,
      code: failure.code,
      reason: failure.reason,
    });
    if (final) await settleFailure(pipeline, stage, job, failure);
    throw toJobError(error);
  }
  await activity.end(); // its progress so far written before its final figures
  const runId: string = job.data.runId;
  // A cancelled run's jobs in hand finish, but start nothing new.
  const cancelled = output.next !== undefined && (await pipeline.tracker.isCancelled(runId));
  if (output.next && !cancelled) for (const next of output.next) await addNext(pipeline, runId, next);
  await reportJob(job, stage, { outcome: 'completed', ms: performance.now() - started, result: output.result });
  await settle(pipeline, runId, job, counterOf(stage, job), 'completed');
  return output.result;
}

async function addNext(pipeline: Pipeline, runId: string, next: NextJobs): Promise<void> {
  const jobs = next.jobs.map(({ name, key, data, delayMs, removeOnComplete }) => ({
    name,
    data,
    opts: {
      jobId: jobId(runId, next.stage, key),
      ...(delayMs ? { delay: delayMs } : {}),
      ...(removeOnComplete ? { removeOnComplete } : {}),
    },
  }));
  await expectAndAdd(pipeline, runId, next.stage, jobs);
}

async function failKillerJob(pipeline: Pipeline, stage: Stage, job: Job): Promise<never> {
  const reason = `its worker process died ${job.stalledCounter} times while processing it (crash, out of memory, kill)`;
  await settleFailure(pipeline, stage, job, { retryable: false, code: 'WORKER_DIED', reason });
  throw new UnrecoverableError(`WORKER_DIED: ${reason}`);
}

/** Outcome counter of a job: its stage, except failure and crawl records (so that load:completed counts documents). */
function counterOf(stage: Stage, job: Job): string {
  return stage === 'load' && (job.name === LOAD_JOB.failure || job.name === LOAD_JOB.crawl) ? job.name : stage;
}

interface NewJob {
  name: string;
  data: unknown;
  opts: { jobId: string; delay?: number; removeOnComplete?: boolean };
}

/** Counts the jobs as the run's before adding them: a crash in between leaves them expected, and the re-run adds them. */
async function expectAndAdd(pipeline: Pipeline, runId: string, stage: Stage, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await pipeline.tracker.expect(
    runId,
    jobs.map((job) => job.opts.jobId),
  );
  await pipeline.queues[stage].addBulk(jobs);
}

async function settle(pipeline: Pipeline, runId: string, job: Job, counter: string, outcome: JobSettlement) {
  const recording = await pipeline.tracker.settle(runId, job.id!, counter, outcome);
  if (recording !== null) await finishRun(pipeline, runId, recording);
}

/** Queues the run's summary for the loader. Its id carries the recording number: a re-opened run is summarised again. */
async function finishRun(pipeline: Pipeline, runId: string, recording: number): Promise<void> {
  await pipeline.queues.load.add(RECORD_RUN_JOB, { runId, recording }, { jobId: jobId(runId, 'load', `${RECORD_RUN_JOB}.${recording}`) });
}

/** Records a job's final failure (a load job for the single writer, id per run, stage and URL) and settles it. */
async function settleFailure(pipeline: Pipeline, stage: Stage, job: Job, failure: ErrorClass): Promise<void> {
  const runId: string | undefined = job.data?.runId;
  if (!runId || job.name === RECORD_RUN_JOB || job.name === SCHEDULED_RUN_JOB) return;
  // Never loop on a failure to record a failure.
  if (job.name !== LOAD_JOB.failure) {
    const record = failureRecord(runId, stage, job, failure);
    const id = jobId(runId, 'load', `failure.${stage}.${sha256Hex(record.url).slice(0, 24)}`);
    await expectAndAdd(pipeline, runId, 'load', [{ name: LOAD_JOB.failure, data: record, opts: { jobId: id } }]);
  }
  await pipeline.tracker.noteFailure(runId, job.id!, failure.code);
  await settle(pipeline, runId, job, counterOf(stage, job), 'failed');
}

/**
 * Fails a job whose data does not pass its schema (INVALID_JOB, never retried) and records it: under its own run when
 * the job is a run's stage job with a sound run id, else under INVALID_JOBS_RUN. The record keeps only the fields that
 * are sound (a URL clipped, a sha256 or source id only when well-formed).
 */
async function failInvalidJob(pipeline: Pipeline, stage: Stage, job: Job, error: unknown): Promise<never> {
  const failure = classifyError(error);
  await reportJob(job, stage, { outcome: 'failed', ms: 0, code: failure.code, reason: failure.reason });
  const data = (job.data ?? {}) as Record<string, any>;
  const ownRun =
    job.name !== RECORD_RUN_JOB &&
    job.name !== SCHEDULED_RUN_JOB &&
    typeof data.runId === 'string' &&
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(data.runId);
  const runId: string = ownRun ? data.runId : INVALID_JOBS_RUN;
  const soundOrNull = (value: unknown, pattern: RegExp) => (typeof value === 'string' && pattern.test(value) ? value : null);
  const url =
    [data.document?.url, data.fetched?.url, data.source?.startUrls?.[0], data.url].find((value) => typeof value === 'string') ??
    `job ${job.id}`;
  const record: RecordFailureJobData = {
    runId,
    stage,
    url: String(url).slice(0, 2000),
    sha256: soundOrNull(data.fetched?.sha256 ?? data.sha256, /^[0-9a-f]{64}$/),
    sourceId: soundOrNull(
      data.document?.sourceId ?? data.fetched?.sourceId ?? data.source?.id ?? data.sourceId,
      /^[a-z0-9][a-z0-9_-]{0,127}$/,
    ),
    code: failure.code,
    reason: failure.reason,
  };
  const id = jobId(runId, 'load', `failure.${stage}.${sha256Hex(`${job.id}\n${record.url}`).slice(0, 24)}`);
  await expectAndAdd(pipeline, runId, 'load', [{ name: LOAD_JOB.failure, data: record, opts: { jobId: id } }]);
  if (ownRun) {
    await pipeline.tracker.noteFailure(runId, job.id!, failure.code);
    await settle(pipeline, runId, job, counterOf(stage, job), 'failed');
  }
  throw toJobError(error);
}

function failureRecord(runId: string, stage: Stage, job: Job, failure: ErrorClass): RecordFailureJobData {
  const data = job.data;
  return {
    runId,
    stage,
    url: data.document?.url ?? data.fetched?.url ?? data.source?.startUrls?.[0] ?? '',
    sha256: data.fetched?.sha256 ?? null,
    sourceId: data.document?.sourceId ?? data.fetched?.sourceId ?? data.source?.id ?? null,
    code: failure.code,
    reason: failure.reason,
  };
}

/** Job states a cancellation takes jobs out of: those no worker holds yet. */
const NOT_STARTED_STATES = ['waiting', 'delayed', 'prioritized'] as const;

/**
 * Cancels a run: marks it cancelled (its jobs in hand finish and add nothing new) and removes its jobs not started
 * yet, settling each as cancelled so that the run ends and its summary is recorded. Resolves with how many jobs it
 * removed, or null when Redis knows no such run.
 */
export async function cancelRun(pipeline: Pipeline, runId: string): Promise<number | null> {
  if (!(await pipeline.tracker.cancel(runId))) return null;
  let removed = 0;
  for (const stage of STAGES) {
    const jobs = await pipeline.queues[stage].getJobs([...NOT_STARTED_STATES]);
    for (const job of jobs.filter((candidate) => candidate.id?.startsWith(`${runId}.`) && candidate.name !== RECORD_RUN_JOB)) {
      try {
        await job.remove();
      } catch {
        continue; // a worker took it meanwhile: it finishes as a job of a cancelled run
      }
      removed += 1;
      await settle(pipeline, runId, job, counterOf(stage, job), 'cancelled');
    }
  }
  return removed;
}
