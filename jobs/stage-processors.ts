/**
 * One processor per queue: reads the job's references, calls the stage function, stores its output
 * content-addressed, and says which jobs come next. No queue handling here beyond reading job.data.
 */
import { readFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import type { Config } from '../config/config.ts';
import { dataLayout, extractedPath, parsedPath, readJson, sha256Hex, writeJsonAtomic } from '../config/data-layout.ts';
import { crawlSource, fetchDocument } from '../crawlers/index.ts';
import { extractDocument } from '../extract/index.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { loadDocument, recordFailure, recordRun, withWarehouse } from '../load/index.ts';
import { parseReport } from '../transform/index.ts';
import type { ParsedReport } from '../transform/types.ts';
import type {
  CrawlJobData,
  ExtractJobData,
  FetchJobData,
  LoadDocumentJobData,
  ParseJobData,
  RecordFailureJobData,
  Stage,
} from './payloads.ts';
import { LOAD_JOB } from './payloads.ts';
import type { RunTracker } from './run-tracker.ts';

export interface NextJobs {
  stage: Stage;
  jobs: { name: string; key: string; data: unknown }[];
}

export interface StageOutput {
  /** Kept as the job's return value (small). */
  result: unknown;
  next?: NextJobs;
}

type Processor = (config: Config, job: Job, tracker: RunTracker) => Promise<StageOutput>;

const urlKey = (url: string) => sha256Hex(url).slice(0, 24);

async function crawl(config: Config, job: Job<CrawlJobData>, tracker: RunTracker): Promise<StageOutput> {
  const { runId, source } = job.data;
  const result = await crawlSource(source, {
    userAgent: config.userAgent,
    maxPages: config.maxPagesPerSource,
    requestTimeoutSecs: config.requestTimeoutSecs,
    concurrency: config.crawlConcurrency,
  });
  await tracker.add(runId, `source:${source.id}:pages`, result.pagesFetched);
  await tracker.add(runId, `source:${source.id}:discovered`, result.discovered.length);
  await tracker.add(runId, `source:${source.id}:errors`, result.errors.length);
  const jobs = result.discovered.map((document) => ({ name: 'fetch', key: urlKey(document.url), data: { runId, document } }));
  return {
    result: { pagesFetched: result.pagesFetched, discovered: result.discovered.length, errors: result.errors },
    next: { stage: 'fetch', jobs },
  };
}

async function fetch(config: Config, job: Job<FetchJobData>): Promise<StageOutput> {
  const { runId, document } = job.data;
  const fetched = await fetchDocument(document, {
    rawDir: dataLayout(config.dataDir).rawDir,
    userAgent: config.userAgent,
    requestTimeoutSecs: config.requestTimeoutSecs,
    maxBodyBytes: config.maxBodyBytes,
  });
  return {
    result: { sha256: fetched.sha256, byteLength: fetched.byteLength },
    next: { stage: 'extract', jobs: [{ name: 'extract', key: urlKey(document.url), data: { runId, fetched } }] },
  };
}

async function extract(config: Config, job: Job<ExtractJobData>): Promise<StageOutput> {
  const { runId, fetched } = job.data;
  const bytes = await readFile(fetched.archivePath);
  const document = await extractDocument(bytes, {
    sha256: fetched.sha256,
    contentType: fetched.contentType,
    url: fetched.finalUrl,
    maxBytes: config.maxBodyBytes,
  });
  const file = extractedPath(dataLayout(config.dataDir), fetched.sha256, document.extractorVersion);
  await writeJsonAtomic(file, document);
  return {
    result: { format: document.format, pages: document.pages.length, warnings: document.warnings.length },
    next: { stage: 'parse', jobs: [{ name: 'parse', key: urlKey(fetched.url), data: { runId, fetched, extractedPath: file } }] },
  };
}

async function parse(config: Config, job: Job<ParseJobData>): Promise<StageOutput> {
  const { runId, fetched, extractedPath: source } = job.data;
  const document = await readJson<ExtractedDocument>(source);
  const report = parseReport(document, { url: fetched.finalUrl, title: fetched.title, publishedAt: fetched.publishedAt });
  const file = parsedPath(dataLayout(config.dataDir), fetched.sha256, report.parserVersion);
  await writeJsonAtomic(file, report);
  const data: LoadDocumentJobData = { runId, fetched, extractedPath: source, parsedPath: file };
  return {
    result: { isReport: report.meta.isReport, year: report.meta.year, anomalies: report.anomalies.length },
    next: { stage: 'load', jobs: [{ name: LOAD_JOB.document, key: urlKey(fetched.url), data }] },
  };
}

async function load(config: Config, job: Job, tracker: RunTracker): Promise<StageOutput> {
  if (job.name === LOAD_JOB.failure) {
    const failure = job.data as RecordFailureJobData;
    await withWarehouse(config.duckdbPath, (warehouse) => recordFailure(warehouse, failure));
    return { result: { recorded: true } };
  }
  const { runId, fetched, extractedPath: extractedFile, parsedPath: parsedFile } = job.data as LoadDocumentJobData;
  const extracted = await readJson<ExtractedDocument>(extractedFile);
  const parsed = await readJson<ParsedReport>(parsedFile);
  const outcome = await withWarehouse(config.duckdbPath, (warehouse) =>
    loadDocument(warehouse, { fetched, extracted, parsed, runId }),
  );
  if (parsed.meta.isReport) {
    await tracker.add(runId, `source:${fetched.sourceId}:reports`);
    await tracker.add(runId, 'reports', 1);
    await tracker.add(runId, 'anomalies', parsed.anomalies.length);
  }
  if (outcome.loaded) await tracker.add(runId, `source:${fetched.sourceId}:new`);
  return { result: outcome };
}

/** Writes the run's summary and per-source health to DuckDB once every job of the run has settled. */
async function recordRunSummary(config: Config, job: Job<{ runId: string }>, tracker: RunTracker): Promise<unknown> {
  const state = await tracker.state(job.data.runId);
  const sources = new Set(Object.keys(state.counts).filter((k) => k.startsWith('source:')).map((k) => k.split(':')[1]!));
  const count = (field: string) => state.counts[field] ?? 0;
  const health = [...sources].map((sourceId) => ({
    sourceId,
    pagesFetched: count(`source:${sourceId}:pages`),
    reportsFound: count(`source:${sourceId}:reports`),
    newDocuments: count(`source:${sourceId}:new`),
    changed: 0,
    blocked: 0,
    errors: count(`source:${sourceId}:errors`),
    flagged: count(`source:${sourceId}:reports`) === 0,
    note: count(`source:${sourceId}:reports`) === 0 ? 'no reports found' : null,
  }));
  const failed = Object.entries(state.counts).filter(([k]) => k.endsWith(':failed')).reduce((sum, [, v]) => sum + v, 0);
  const run = {
    runId: state.runId,
    startedAt: state.startedAt ?? new Date().toISOString(),
    finishedAt: state.finishedAt ?? new Date().toISOString(),
    status: failed > 0 ? 'finished_with_failures' : 'finished',
    summary: state.counts,
    health,
  };
  await withWarehouse(config.duckdbPath, (warehouse) => recordRun(warehouse, run));
  return run;
}

export const processors: Record<Stage, Processor> & { recordRun: typeof recordRunSummary } = {
  crawl,
  fetch,
  extract,
  parse,
  load,
  recordRun: recordRunSummary,
};
