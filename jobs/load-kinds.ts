/**
 * The kinds of load-queue job and how the single writer handles each: read and check the job's references before the
 * write window (`prepare`), write the batch's items in the window (a load/ BatchWriter), then the run bookkeeping
 * (`done`). A new kind (e.g. a crawl's recorded state) is one more entry here with its own load/ writer.
 */
import type { Job } from 'bullmq';
import type { Config } from '../config/config.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { BatchWriter } from '../load/batch.ts';
import { checkLoadInput, loadDocuments, type LoadDocumentInput, type LoadDocumentResult } from '../load/load-document.ts';
import { recordFailures, recordRunSummaries, type RunRecord, type RunSummary } from '../load/record-run.ts';
import { recordCrawls } from '../load/crawl-states.ts';
import { RUN_COUNTER, sourceCounter } from '../ledger/run-counters.ts';
import { readJson } from '../shared/files.ts';
import { logger } from '../shared/logger.ts';
import type { ParsedReport } from '../transform/types.ts';
import { LOAD_JOB, RECORD_RUN_JOB, type LoadDocumentJobData, type RecordCrawlJobData, type RecordFailureJobData } from './payloads.ts';
import type { RunTracker } from './run-tracker.ts';
import { prepareRunSummary } from './stage-processors.ts';

/** One kind of load-queue job. */
export interface LoadKind<Item = any, Result = any> {
  /** Reads and checks the job's input before the window opens; throws (a stage error) when it cannot be written. */
  prepare(job: Job): Promise<Item>;
  write: BatchWriter<Item, Result>;
  /** After the window committed: the run's counters; returns the job's return value. */
  done(job: Job, item: Item, result: Result): Promise<unknown>;
  /** The job is one of its run's jobs, settled in the run when it ends. */
  settles: boolean;
  /** A job that could not be written stays queued (retried with backoff, no attempt spent): it is never dropped. */
  keepUntilWritten: boolean;
}

/** The load queue's kinds by job name. */
export function loadKinds(config: Config, tracker: RunTracker): Record<string, LoadKind> {
  const documents: LoadKind<LoadDocumentInput, LoadDocumentResult> = {
    prepare: async (job: Job<LoadDocumentJobData>) => {
      const { runId, fetched, extractedPath, parsedPath } = job.data;
      const input = {
        runId,
        fetched,
        extracted: await readJson<ExtractedDocument>(extractedPath),
        parsed: await readJson<ParsedReport>(parsedPath),
      };
      checkLoadInput(input);
      return input;
    },
    write: loadDocuments,
    done: async (_job, { runId, fetched, parsed }, outcome) => {
      if (parsed.meta.isReport) {
        await tracker.add(runId, sourceCounter(fetched.sourceId, 'reports'));
        await tracker.add(runId, RUN_COUNTER.reports, 1);
        await tracker.add(runId, RUN_COUNTER.anomalies, parsed.anomalies.length);
      }
      if (outcome.loaded) await tracker.add(runId, sourceCounter(fetched.sourceId, 'new'));
      return outcome;
    },
    settles: true,
    keepUntilWritten: false,
  };
  const failures: LoadKind<RecordFailureJobData, boolean> = {
    prepare: async (job: Job<RecordFailureJobData>) => job.data,
    write: recordFailures,
    done: async (_job, _failure, recorded) => ({ recorded }),
    settles: true,
    keepUntilWritten: true,
  };
  // The crawl's memory: never dropped (the next crawl would start cold, and its disappearances would go unrecorded).
  const crawls: LoadKind<RecordCrawlJobData, boolean> = {
    prepare: async (job: Job<RecordCrawlJobData>) => job.data,
    write: recordCrawls,
    done: async (_job, crawl, recorded) => ({ sourceId: crawl.source.sourceId, recorded }),
    settles: true,
    keepUntilWritten: true,
  };
  const runs: LoadKind<RunSummary, RunRecord> = {
    prepare: (job: Job<{ runId: string }>) => prepareRunSummary(config, job.data.runId, tracker),
    write: recordRunSummaries,
    done: async (job: Job<{ runId: string; recording?: number }>, _summary, run) => {
      await tracker.markRecorded(run.runId, job.data.recording ?? 1);
      logger().info({ stage: 'load', run: run.runId, outcome: 'recorded' }, 'run summary recorded');
      return run;
    },
    settles: false,
    keepUntilWritten: true,
  };
  return { [LOAD_JOB.document]: documents, [LOAD_JOB.failure]: failures, [LOAD_JOB.crawl]: crawls, [RECORD_RUN_JOB]: runs };
}
