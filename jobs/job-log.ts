/**
 * One log line per job that ends (stage, source, document, outcome, ms), written to the process's logger and to the
 * job's own BullMQ log, with the job's figures (pages read, documents found, cells found) as its progress, so that
 * bull-board's Logs and Progress tabs show them.
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
  const line = Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  try {
    await job.log(`${new Date().toISOString()} ${line}`);
    if (Object.keys(progress).length > 0) await job.updateProgress(progress);
  } catch {
    // The job's outcome stands; only its copy in the queue UI is missing.
  }
}
