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
import type { DocumentFilter } from './document-filter.ts';
import { LOAD_JOB, STAGES, type RecordFailureJobData, type Stage } from './payloads.ts';
import { RunTracker } from './run-tracker.ts';
import { createRedis } from './redis.ts';
import { SCHEDULED_RUN_JOB, runScheduledJob } from './schedules.ts';
import { processors, type NextJobs, type StageOutput } from './stage-processors.ts';

/** The load-queue job that writes a run's summary once all its jobs have settled. */
const RECORD_RUN_JOB = 'record-run';

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
  // DuckDB takes one writer: one load job at a time across every worker process and machine.
  await queues.load.setGlobalConcurrency(1);
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
  /** Re-check every document, also those behind unchanged list pages (see jobs/recheck-policy.ts). */
  recheck?: boolean;
}

/** Starts a run: one crawl job per source, each carrying the run's options. Returns the run id. */
export async function enqueueRun(pipeline: Pipeline, sources: Source[], runId = newRunId(), options: RunOptions = {}): Promise<string> {
  const extra = { ...(options.filter ? { filter: options.filter } : {}), ...(options.recheck ? { recheck: true } : {}) };
  await enqueueJobs(pipeline, runId, 'crawl', sources.map((source) => ({ name: 'crawl', key: source.id, data: { runId, source, ...extra } })));
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
  await expectAndAdd(pipeline, runId, stage, jobs.map(({ name, key, data }) => ({ name, data, opts: { jobId: jobId(runId, stage, key) } })));
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
    console.error(`[${label}] ${error.message}${skipped ? ` (and ${skipped} more errors)` : ''}`);
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
    const concurrency = stageConcurrency(pipeline.config, stage, options);
    const workers = Math.ceil(concurrency / JOBS_PER_WORKER);
    return Array.from({ length: workers }, (_, index) => startWorker(pipeline, stage, Math.ceil((concurrency - index) / workers)));
  });
}

function startWorker(pipeline: Pipeline, stage: Stage, concurrency: number): Worker {
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
async function runJob(pipeline: Pipeline, stage: Stage, job: Job): Promise<unknown> {
  if (job.name === RECORD_RUN_JOB) return recordRunJob(pipeline, job);
  if (job.name === SCHEDULED_RUN_JOB) return runScheduledJob(pipeline, job, enqueueRun);
  if (job.stalledCounter >= WORKER_DEATHS_LIMIT) return failKillerJob(pipeline, stage, job);
  let output: StageOutput;
  try {
    output = await processors[stage](pipeline.config, job, pipeline.tracker);
  } catch (error) {
    const failure = classifyError(error);
    if (!failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await settleFailure(pipeline, stage, job, failure);
    throw toJobError(error);
  }
  const runId: string = job.data.runId;
  if (output.next) await addNext(pipeline, runId, output.next);
  await settle(pipeline, runId, job, counterOf(stage, job), 'completed');
  return output.result;
}

async function addNext(pipeline: Pipeline, runId: string, next: NextJobs): Promise<void> {
  const jobs = next.jobs.map(({ name, key, data, delayMs }) => ({ name, data, opts: { jobId: jobId(runId, next.stage, key), ...(delayMs ? { delay: delayMs } : {}) } }));
  await expectAndAdd(pipeline, runId, next.stage, jobs);
}

async function failKillerJob(pipeline: Pipeline, stage: Stage, job: Job): Promise<never> {
  const reason = `its worker process died ${job.stalledCounter} times while processing it (crash, out of memory, kill)`;
  await settleFailure(pipeline, stage, job, { retryable: false, code: 'WORKER_DIED', reason });
  throw new UnrecoverableError(`WORKER_DIED: ${reason}`);
}

/** Outcome counter of a job: its stage, except failure records (so that load:completed counts documents). */
function counterOf(stage: Stage, job: Job): string {
  return stage === 'load' && job.name === LOAD_JOB.failure ? LOAD_JOB.failure : stage;
}

interface NewJob {
  name: string;
  data: unknown;
  opts: { jobId: string; delay?: number };
}

/** Counts the jobs as the run's before adding them: a crash in between leaves them expected, and the re-run adds them. */
async function expectAndAdd(pipeline: Pipeline, runId: string, stage: Stage, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await pipeline.tracker.expect(runId, jobs.map((job) => job.opts.jobId));
  await pipeline.queues[stage].addBulk(jobs);
}

async function settle(pipeline: Pipeline, runId: string, job: Job, counter: string, outcome: 'completed' | 'failed') {
  const recording = await pipeline.tracker.settle(runId, job.id!, counter, outcome);
  if (recording !== null) await finishRun(pipeline, runId, recording);
}

/** Queues the run's summary for the loader. Its id carries the recording number: a re-opened run is summarised again. */
async function finishRun(pipeline: Pipeline, runId: string, recording: number): Promise<void> {
  await pipeline.queues.load.add(
    RECORD_RUN_JOB,
    { runId, recording },
    { jobId: jobId(runId, 'load', `${RECORD_RUN_JOB}.${recording}`) },
  );
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

async function recordRunJob(pipeline: Pipeline, job: Job<{ runId: string; recording?: number }>): Promise<unknown> {
  const summary = await processors.recordRun(pipeline.config, job, pipeline.tracker);
  await pipeline.tracker.markRecorded(job.data.runId, job.data.recording ?? 1);
  return summary;
}
