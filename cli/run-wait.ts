/**
 * `crawl --wait` and `reprocess --wait`: follows a run until its summary is recorded, showing a live line on a
 * terminal (a plain line every few seconds otherwise) with each stage's jobs, the reports loaded, the failures, the
 * time spent, and whatever the run waits for (a worker, Redis, the DuckDB file another process holds).
 */
import type { Config } from '../config/config.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { STAGES, type Stage } from '../jobs/payloads.ts';
import type { RunState } from '../jobs/run-tracker.ts';
import { describeWarehouseWait, warehouseWaits } from '../jobs/warehouse-wait.ts';
import { EXIT } from './errors.ts';
import { isLost, printRunSummary, readSourceFlags, runExitCode } from './status.ts';

export interface WaitOptions {
  /** Give up waiting after this many seconds (the run goes on in the queues); default: no limit. */
  timeoutSecs?: number;
  /** Workers run in this process (--inline): never say that none is connected. */
  inline?: boolean;
  /** Where the progress goes; default stderr. A TTY gets one live line, anything else a line every `plainEveryMs`. */
  out?: NodeJS.WriteStream;
  /** Between two plain progress lines, in ms; default 10 000. */
  plainEveryMs?: number;
  /** Between two looks at Redis, in ms; default 250. */
  pollMs?: number;
}

/** How a wait ended: the summary was recorded, the run's records vanished from Redis, or --timeout passed. */
export type WaitResult = { kind: 'recorded'; state: RunState } | { kind: 'lost'; state: RunState } | { kind: 'timeout'; state: RunState };

/** Jobs of one stage: settled by this run, and waiting or running in its queue (all runs). */
interface StageProgress {
  stage: Stage;
  done: number;
  queued: number;
}

interface Snapshot {
  state: RunState;
  stages: StageProgress[];
  /** What the run waits for, if anything but its jobs: no worker, no load worker for the summary, the DuckDB file. */
  waitingFor: string | null;
}

/** Follows the run until it is recorded, lost, or `timeoutSecs` have passed. */
export async function waitForRun(pipeline: Pipeline, runId: string, options: WaitOptions = {}): Promise<WaitResult> {
  const out = options.out ?? process.stderr;
  const started = Date.now();
  const deadline = options.timeoutSecs === undefined ? Infinity : started + options.timeoutSecs * 1000;
  let snapshot: Snapshot | null = null;
  let lastPlain = 0;
  let lastWaitingFor: string | null = null;
  // With --inline the workers are this process's own: none can be missing.
  const workerCheck = options.inline ? null : throttledWorkerCheck(pipeline);
  const render = () => {
    const redisDown = pipeline.redis.status !== 'ready';
    const waitingFor = redisDown ? `Redis at ${pipeline.config.redisUrl} to answer again` : (snapshot?.waitingFor ?? null);
    const line = progressLine(snapshot, Date.now() - started, waitingFor);
    // A new reason to wait is said at once; otherwise a plain line now and then.
    const newWait = waitingFor !== null && waitingFor.split(':')[0] !== lastWaitingFor?.split(':')[0];
    lastWaitingFor = waitingFor;
    if (out.isTTY) out.write(`\r\x1b[K${line}`);
    else if (newWait || Date.now() - lastPlain >= (options.plainEveryMs ?? 10_000)) {
      out.write(`${line}\n`);
      lastPlain = Date.now();
    }
  };
  // Rendered on its own timer: a poll blocks for as long as Redis is away, and the line must say so meanwhile.
  const timer = setInterval(render, 1000);
  try {
    for (;;) {
      snapshot = await takeSnapshot(pipeline, runId, workerCheck);
      const { state } = snapshot;
      if (isLost(state)) return { kind: 'lost', state };
      if (state.status === 'recorded') return { kind: 'recorded', state };
      if (Date.now() >= deadline) return { kind: 'timeout', state };
      render();
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
  } finally {
    clearInterval(timer);
    if (out.isTTY) out.write('\r\x1b[K');
  }
}

async function takeSnapshot(pipeline: Pipeline, runId: string, workerCheck: WorkerCheck | null): Promise<Snapshot> {
  const state = await pipeline.tracker.state(runId);
  const stages = await Promise.all(
    STAGES.map(async (stage): Promise<StageProgress> => {
      const counts = await pipeline.queues[stage].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      const queued = Object.values(counts).reduce((sum, n) => sum + n, 0);
      const done = (state.counts[`${stage}:completed`] ?? 0) + (state.counts[`${stage}:failed`] ?? 0);
      return { stage, done, queued };
    }),
  );
  const waitingFor = (workerCheck ? await workerCheck(state, stages) : null) ?? (await warehouseWait(pipeline));
  return { state, stages, waitingFor };
}

/** How often the connected workers are listed (CLIENT LIST grows with every worker connection). */
const WORKER_CHECK_EVERY_MS = 2_000;

type WorkerCheck = (state: RunState, stages: StageProgress[]) => Promise<string | null>;

/** missingWorker for one wait, asked at most every WORKER_CHECK_EVERY_MS (the last answer in between). */
function throttledWorkerCheck(pipeline: Pipeline): WorkerCheck {
  let last = { at: 0, missing: null as string | null };
  return async (state, stages) => {
    if (Date.now() - last.at >= WORKER_CHECK_EVERY_MS) last = { at: Date.now(), missing: await missingWorker(pipeline, state, stages) };
    return last.missing;
  };
}

/** The stages' waits for the DuckDB file (the crawl stage's, the loader's), as they report them in Redis, or null. */
async function warehouseWait(pipeline: Pipeline): Promise<string | null> {
  const waits = await warehouseWaits(pipeline.redis, pipeline.config.queuePrefix);
  return waits.length > 0 ? waits.map(describeWarehouseWait).join('; ') : null;
}

/** What no connected worker serves: the stages with queued jobs, or the load stage that records a finished run. */
async function missingWorker(pipeline: Pipeline, state: RunState, stages: StageProgress[]): Promise<string | null> {
  const needed =
    state.status === 'finished' ? (['load'] as Stage[]) : stages.filter((stage) => stage.queued > 0).map((stage) => stage.stage);
  const unserved: Stage[] = [];
  for (const stage of needed) if ((await pipeline.queues[stage].getWorkers()).length === 0) unserved.push(stage);
  if (unserved.length === 0) return null;
  const what = state.status === 'finished' ? 'a load worker to record the summary' : `a worker for ${unserved.join(', ')}`;
  return `${what}: none is connected to ${pipeline.config.redisUrl} (prefix ${pipeline.config.queuePrefix}); start \`yangguang worker\`, or use --inline`;
}

/** `crawl 2/0 · fetch 10/31 · … · 7 reports · 1 failed · 12 s · waiting for …` (done by this run / queued now). */
export function progressLine(snapshot: Snapshot | null, elapsedMs: number, waitingFor: string | null): string {
  const elapsed = `${Math.round(elapsedMs / 1000)} s`;
  if (!snapshot) return `starting… ${elapsed}${waitingFor ? ` · waiting for ${waitingFor}` : ''}`;
  const { state, stages } = snapshot;
  const failed = STAGES.reduce((sum, stage) => sum + (state.counts[`${stage}:failed`] ?? 0), 0);
  const parts = [
    `run ${state.runId}`,
    stages.map((stage) => `${stage.stage} ${stage.done}/${stage.queued}`).join(' · '),
    `${state.counts.reports ?? 0} reports loaded`,
    ...(failed > 0 ? [`${failed} failed`] : []),
    elapsed,
  ];
  return `${parts.join(' · ')}${waitingFor ? ` · waiting for ${waitingFor}` : ''}`;
}

/**
 * Prints how the wait ended and returns the exit code: 0 for a clean run; 1 for failed jobs, flagged sources, a
 * cancelled run or a timeout; 3 when Redis lost the run's records.
 */
export async function concludeRun(config: Config, result: WaitResult): Promise<number> {
  const { state } = result;
  if (result.kind === 'lost') {
    console.log(
      `run ${state.runId}: its records are gone from Redis (restarted without persistence, or expired), so whether its jobs ran cannot be told. ` +
        'Turn on AOF (`yangguang doctor` checks), then start the crawl again: documents already loaded are not loaded twice',
    );
    return EXIT.service;
  }
  if (result.kind === 'timeout') {
    console.log(
      `run ${state.runId}: not finished within --timeout (${state.pending} job(s) pending); it goes on in the queues: \`yangguang status\` follows it, \`yangguang run cancel ${state.runId}\` stops it`,
    );
    return EXIT.failures;
  }
  const flags = await readSourceFlags(config, state.runId);
  printRunSummary(state, flags, config.timezone);
  return runExitCode(state, flags);
}
