/**
 * One log line per job that ends (stage, source, document, outcome, ms), written to the process's logger and to the
 * job's own BullMQ log, with the job's figures (pages read, documents found, cells found) as its progress, so that
 * bull-board's Logs and Progress tabs show them; and, while a job runs, its figures so far and what it waits for
 * (jobActivity).
 */
import type { Job } from 'bullmq';
import { logger } from '../shared/logger.ts';

export type JobOutcome = 'completed' | 'failed' | 'retrying' | 'cancelled';

/** What a job's line says besides its outcome: how long it took, and for a failure its code and reason. */
export interface JobReport {
  outcome: JobOutcome;
  ms: number;
  code?: string;
  reason?: string;
  /** The processor's result; its counts become the job's progress. */
  result?: unknown;
}

/** Result fields shown as progress, under the names people read them by. */
const PROGRESS_FIELDS: Record<string, string> = {
  pagesFetched: 'pagesRead',
  pages: 'pagesRead',
  discovered: 'documentsFound',
  cells: 'cellsFound',
  anomalies: 'anomalies',
  reports: 'reports',
};

/** The job's figures worth showing as progress, from its result. */
export function progressOf(result: unknown): Record<string, number> {
  if (result === null || typeof result !== 'object') return {};
  const progress: Record<string, number> = {};
  for (const [field, name] of Object.entries(PROGRESS_FIELDS)) {
    const value = (result as Record<string, unknown>)[field];
    if (typeof value === 'number') progress[name] = value;
  }
  return progress;
}

/** The source and the document a job is about, read from its payload (crawl: the source; later stages: the URL). */
export function subjectOf(job: Pick<Job, 'data'>): { source?: string; document?: string } {
  const data = (job.data ?? {}) as Record<string, { id?: string; sourceId?: string; url?: string } | undefined>;
  const item = data.document ?? data.fetched;
  const source = data.source?.id ?? item?.sourceId ?? (data as { sourceId?: string }).sourceId;
  const document = item?.url ?? (data as { url?: string }).url;
  return { ...(source ? { source } : {}), ...(document ? { document } : {}) };
}

/**
 * Logs the job's end and copies the line into its BullMQ log and progress. Never throws: a lost Redis connection
 * must not turn a finished job into a failed one.
 */
export async function reportJob(job: Job, stage: string, report: JobReport): Promise<void> {
  const progress = progressOf(report.result);
  const fields = {
    stage,
    job: job.id,
    ...subjectOf(job),
    outcome: report.outcome,
    ms: Math.round(report.ms),
    ...progress,
    ...(report.code ? { code: report.code } : {}),
    ...(report.reason ? { reason: report.reason } : {}),
  };
  const level = report.outcome === 'failed' ? 'error' : report.outcome === 'retrying' ? 'warn' : 'info';
  logger()[level](fields, `${stage} ${report.outcome}`);
  try {
    await job.log(logLine(fields));
    if (Object.keys(progress).length > 0) await job.updateProgress(progress);
  } catch {
    // The job's outcome stands; only its copy in the queue UI is missing.
  }
}

/** A line of a job's BullMQ log: the time, then `key=value` pairs. */
function logLine(fields: Record<string, unknown>): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${value}`);
  return `${new Date().toISOString()} ${pairs.join(' ')}`;
}

/** A running job's figures (pages read…), or what it waits for. */
export type JobFigures = Record<string, number | string>;

/** What a processor may say while its job runs, before reportJob says how it ended. Its methods never throw. */
export interface JobActivity {
  /** The job's figures so far: its BullMQ progress at most once per `progressEveryMs`, a log line at most every 10 s. */
  progress(figures: JobFigures): void;
  /** A line in the job's BullMQ log (what it waits for, say). */
  log(message: string): void;
  /** The job has ended: nothing more is written, and the writes in flight are done (reportJob's progress comes last). */
  end(): Promise<void>;
}

/** How often a running job's progress is written, at most, in ms. */
export const PROGRESS_EVERY_MS = 1_000;
/** How often a running job's progress is also a line in its log, at most, in ms. */
const PROGRESS_LOG_EVERY_MS = 10_000;

/**
 * The running job's activity, written to its BullMQ progress and log in the order said. Figures said between two
 * writes are dropped (the next ones or the job's end tell more); lost Redis writes are ignored.
 */
export function jobActivity(job: Job, stage: string, progressEveryMs = PROGRESS_EVERY_MS): JobActivity {
  let writes: Promise<unknown> = Promise.resolve();
  let ended = false;
  let lastProgress = -Infinity;
  let lastLog = -Infinity;
  const write = (task: () => Promise<unknown>) => {
    if (!ended) writes = writes.then(task).catch(() => undefined);
  };
  const subject = { stage, job: job.id, ...subjectOf(job) };
  return {
    progress(figures) {
      const now = Date.now();
      if (now - lastProgress < progressEveryMs) return;
      lastProgress = now;
      write(() => job.updateProgress(figures));
      if (now - lastLog < PROGRESS_LOG_EVERY_MS) return;
      lastLog = now;
      logger().debug({ ...subject, ...figures }, `${stage} progress`);
      write(() => job.log(logLine({ ...subject, outcome: 'running', ...figures })));
    },
    log(message) {
      write(() => job.log(logLine({ ...subject, message })));
    },
    async end() {
      ended = true;
      await writes;
    },
  };
}
