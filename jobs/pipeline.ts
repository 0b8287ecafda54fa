/**
 * Wires the stages to BullMQ: one queue per stage, a worker per stage, and the run bookkeeping around them.
 * The stages themselves know nothing about queues (see stage-processors.ts).
 */
import { Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Source } from '../crawlers/types.ts';
import { JOB_ATTEMPTS, backoffWithJitter, classifyError, toJobError } from './retry-policy.ts';
import { LOAD_JOB, STAGES, type RecordFailureJobData, type Stage } from './payloads.ts';
import { RunTracker } from './run-tracker.ts';
import { createRedis } from './redis.ts';
import { SCHEDULED_RUN_JOB, type ScheduledRunJobData } from './schedules.ts';
import { processors, type StageOutput } from './stage-processors.ts';

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

/** Starts a run: one crawl job per source. Returns the run id. */
export async function enqueueRun(pipeline: Pipeline, sources: Source[], runId = newRunId()): Promise<string> {
  await pipeline.tracker.begin(runId, new Date().toISOString());
  await pipeline.tracker.expect(runId, sources.length);
  await pipeline.queues.crawl.addBulk(
    sources.map((source) => ({ name: 'crawl', data: { runId, source }, opts: { jobId: jobId(runId, 'crawl', source.id) } })),
  );
  if (sources.length === 0) await finishRun(pipeline, runId);
  return runId;
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
  /** Jobs in flight per stage worker (load is always 1). */
  concurrency?: number;
}

/** Starts one worker per stage on its own connection (workers block on Redis). */
export function startWorkers(pipeline: Pipeline, options: WorkerOptions = {}): Worker[] {
  const stages = options.stages ?? STAGES;
  return stages.map((stage) => {
    const connection = createRedis(pipeline.config.redisUrl);
    const worker = new Worker(stage, (job) => runJob(pipeline, stage, job), {
      connection,
      prefix: pipeline.config.queuePrefix,
      concurrency: stage === 'load' ? 1 : (options.concurrency ?? 2),
      lockDuration: 30_000,
      stalledInterval: 10_000,
      settings: { backoffStrategy: (attemptsMade: number) => backoffWithJitter(attemptsMade) },
    });
    // A failed job is already recorded by runJob; the event only keeps the worker from crashing on it.
    worker.on('error', (error) => console.error(`[${stage} worker] ${error.message}`));
    // BullMQ leaves a connection it was given open on close; it is this worker's alone, so end it too.
    worker.on('closed', () => connection.disconnect());
    return worker;
  });
}

/** Runs one job: the stage's processor, then the next stage's jobs, then the run bookkeeping. */
async function runJob(pipeline: Pipeline, stage: Stage, job: Job): Promise<unknown> {
  if (job.name === RECORD_RUN_JOB) return recordRunJob(pipeline, job);
  if (job.name === SCHEDULED_RUN_JOB) return { runId: await enqueueRun(pipeline, (job.data as ScheduledRunJobData).sources) };
  const runId: string = job.data.runId;
  let output: StageOutput;
  try {
    output = await processors[stage](pipeline.config, job, pipeline.tracker);
  } catch (error) {
    const failure = classifyError(error);
    const attempts = job.opts.attempts ?? 1;
    if (!failure.retryable || job.attemptsMade + 1 >= attempts) {
      await recordFailure(pipeline, stage, job, failure.code, failure.reason);
      await settle(pipeline, runId, stage, 'failed');
    }
    throw toJobError(error);
  }
  await addNext(pipeline, runId, output);
  await settle(pipeline, runId, stage, 'completed');
  return output.result;
}

async function addNext(pipeline: Pipeline, runId: string, output: StageOutput): Promise<void> {
  if (!output.next || output.next.jobs.length === 0) return;
  const { stage, jobs } = output.next;
  await pipeline.tracker.expect(runId, jobs.length);
  await pipeline.queues[stage].addBulk(
    jobs.map(({ name, key, data }) => ({ name, data, opts: { jobId: jobId(runId, stage, key) } })),
  );
}

async function settle(pipeline: Pipeline, runId: string, stage: Stage, outcome: 'completed' | 'failed'): Promise<void> {
  if (await pipeline.tracker.settle(runId, stage, outcome)) await finishRun(pipeline, runId);
}

/** Queues the run's summary for the loader (untracked: it is the run's last job). */
async function finishRun(pipeline: Pipeline, runId: string): Promise<void> {
  await pipeline.queues.load.add(RECORD_RUN_JOB, { runId }, { jobId: jobId(runId, 'load', RECORD_RUN_JOB) });
}

async function recordFailure(pipeline: Pipeline, stage: Stage, job: Job, code: string, reason: string): Promise<void> {
  if (stage === 'load' && job.name === LOAD_JOB.failure) return; // never loop on a failure to record a failure
  const data = job.data;
  const failure: RecordFailureJobData = {
    runId: data.runId,
    stage,
    url: data.document?.url ?? data.fetched?.url ?? data.source?.startUrls?.[0] ?? '',
    sha256: data.fetched?.sha256 ?? null,
    sourceId: data.document?.sourceId ?? data.fetched?.sourceId ?? data.source?.id ?? null,
    code,
    reason,
  };
  await pipeline.tracker.expect(data.runId, 1);
  await pipeline.queues.load.add(LOAD_JOB.failure, failure, { jobId: jobId(data.runId, 'load', `failure.${job.id}`) });
}

async function recordRunJob(pipeline: Pipeline, job: Job): Promise<unknown> {
  const summary = await processors.recordRun(pipeline.config, job, pipeline.tracker);
  await pipeline.tracker.markRecorded(job.data.runId);
  return summary;
}
