/**
 * One processor per queue: reads the job's references, calls the stage function, stores its output
 * content-addressed, and says which jobs come next. No queue handling here beyond reading job.data.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { dataLayout, extractedPath, parsedPath } from '../config/data-layout.ts';
import { readJson, sha256Hex, writeJsonAtomic } from '../shared/files.ts';
import { crawlSource, fetchDocument, unknownBefore, type CrawlResult, type SourceCrawlState } from '../crawlers/index.ts';
import type { Source } from '../crawlers/types.ts';
import type { DocumentIssuer, FetchedDocument } from '../shared/document.ts';
import { joinHtmlPages } from '../extract/join-html-pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { withReadOnlyWarehouse } from '../load/index.ts';
import type { RunSummary } from '../load/record-run.ts';
import { readCrawlStarts, type CrawlAbout, type CrawlStart } from '../load/crawl-states.ts';
import { lookupSighting, type KnownSighting } from '../load/known-documents.ts';
import { parseReport } from '../transform/index.ts';
import type { ParsedReport, ReportContext } from '../transform/types.ts';
import type {
  CrawlJobData,
  ExtractJobData,
  FetchJobData,
  LoadDocumentJobData,
  ParseJobData,
  RecordCrawlJobData,
  Stage,
} from './payloads.ts';
import { LOAD_JOB } from './payloads.ts';
import { matchesFilter } from '../ledger/document-filter.ts';
import { planFetches, type DocumentChecks } from '../ledger/recheck-policy.ts';
import { healthNotJudged, runStatus, sourceCounter, sourceCountsOf } from '../ledger/run-counters.ts';
import { extractPool } from './extract-pool.ts';
import type { RunTracker } from './run-tracker.ts';
import type { JobActivity } from './job-log.ts';
import { reportWarehouseWait } from './warehouse-wait.ts';
import { HostScheduler, politenessBudget } from '../crawlers/host-scheduler.ts';

export interface NextJobs {
  stage: Stage;
  /**
   * `delayMs`: the job waits that long in the queue before a worker may take it. `removeOnComplete`: a job whose data
   * the warehouse keeps once it is done (a crawl's record) is not kept in Redis afterwards.
   */
  jobs: { name: string; key: string; data: unknown; delayMs?: number; removeOnComplete?: boolean }[];
}

export interface StageOutput {
  /** Kept as the job's return value (small). */
  result: unknown;
  /** The jobs to queue next, per stage. */
  next?: NextJobs[];
}

/** What a processor is given besides its configuration and job. */
export interface StageContext {
  /** The run bookkeeping. */
  tracker: RunTracker;
  /** What the job says while it runs (its progress, its waits). */
  activity: JobActivity;
  /** The queues' Redis, for the status `--wait` shows (jobs/warehouse-wait.ts). */
  redis: Redis;
}

type Processor = (config: Config, job: Job, context: StageContext) => Promise<StageOutput>;

const urlKey = (url: string) => sha256Hex(url).slice(0, 24);

/** One host scheduler per process (per configuration), shared by every crawl and fetch job the process runs. */
const hostSchedulers = new Map<string, HostScheduler>();
function hostSchedulerOf(config: Config): HostScheduler {
  const key = `${config.maxRequestsInFlight}/${config.hostConcurrency}/${config.hostDelayMs}`;
  let scheduler = hostSchedulers.get(key);
  if (!scheduler) {
    scheduler = new HostScheduler({
      maxInFlight: config.maxRequestsInFlight,
      defaultBudget: { concurrency: config.hostConcurrency, delayMs: config.hostDelayMs },
    });
    hostSchedulers.set(key, scheduler);
  }
  return scheduler;
}

/**
 * How far apart a crawl's fetch jobs are released to the queue, in milliseconds: its host's delay (starts on a host
 * are that far apart whatever its concurrency). The host scheduler enforces the delay anyway; spreading the jobs in
 * the queue keeps a worker's fetch slots from filling with one host's documents, all waiting their turn while other
 * hosts idle.
 */
function fetchSpacingMs(config: Config, source: Source): number {
  return source.politeness?.delayMs ?? config.hostDelayMs;
}

async function crawl(config: Config, job: Job<CrawlJobData>, context: StageContext): Promise<StageOutput> {
  const { tracker, activity } = context;
  const { runId, source } = job.data;
  // Incremental: from the source's latest recorded crawl of another run (a retry starts where its first attempt did).
  const start = await crawlStartOf(config, { sourceId: source.id, runId }, context);
  const result = await crawlSource(
    source,
    {
      userAgent: config.userAgent,
      maxPages: config.maxPagesPerSource,
      requestTimeoutSecs: config.requestTimeoutSecs,
      concurrency: config.crawlConcurrency,
      hosts: hostSchedulerOf(config),
      allowPrivateNetworks: config.allowPrivateNetworks,
      allowedPrivateAddresses: config.allowedPrivateAddresses,
      maxPageBytes: config.maxPageBytes,
      idleTimeoutSecs: config.idleTimeoutSecs,
      budgetSecs: config.sourceBudgetSecs,
      onProgress: (progress) => activity.progress({ ...progress }),
    },
    start.state,
  );
  await tracker.add(runId, sourceCounter(source.id, 'pages'), result.pagesFetched);
  await tracker.add(runId, sourceCounter(source.id, 'discovered'), result.discovered.length);
  await tracker.add(runId, sourceCounter(source.id, 'errors'), result.errors.length);
  await tracker.add(runId, sourceCounter(source.id, 'blocked'), result.blocked);
  await tracker.add(runId, sourceCounter(source.id, 'disappeared'), result.disappeared.length);
  const wanted = result.discovered.filter((document) => matchesFilter(document, job.data.filter));
  // One read-only look at the warehouse per crawl: each fetch job gets its URL's previous fetch in its data.
  const known = await knownSightings(
    config,
    wanted.map((document) => document.url),
  );
  const plan = planFetches({
    wanted,
    unchanged: new Set(result.unchanged),
    loaded: new Set(known.keys()),
    checks: start.checks,
    now: new Date(),
    recheckDays: config.recheckDocumentsDays,
    force: job.data.recheck === true,
  });
  const skipped = new Map(plan.skip.map((document) => [document.url, known.get(document.url)!.isReport]));
  await countSkipped(tracker, runId, source.id, skipped);
  const spacingMs = fetchSpacingMs(config, source);
  const jobs = plan.fetch.map((document, index) => {
    const previous = known.get(document.url);
    const data: FetchJobData = {
      runId,
      document: { ...document, issuer: issuerOf(source) },
      ...(previous ? { previous } : {}),
      ...(source.tls ? { tls: source.tls } : {}),
      ...(source.politeness ? { politeness: source.politeness } : {}),
    };
    return {
      name: 'fetch',
      key: urlKey(document.url),
      data,
      ...(spacingMs > 0 && index > 0 ? { delayMs: Math.round(index * spacingMs) } : {}),
    };
  });
  const record = crawlRecord(runId, source, result, plan.checks, start.state);
  return {
    result: {
      pagesFetched: result.pagesFetched,
      pagesNotModified: result.pagesNotModified,
      pagesSkipped: result.pagesSkipped,
      discovered: result.discovered.length,
      disappeared: result.disappeared.length,
      notFetched: skipped.size,
      errors: result.errors,
    },
    // The crawl's memory goes to the single writer, which records it with its disappearances and returns.
    next: [
      { stage: 'load', jobs: [{ name: LOAD_JOB.crawl, key: `crawl-${source.id}`, data: record, removeOnComplete: true }] },
      { stage: 'fetch', jobs },
    ],
  };
}

/**
 * What the crawl hands the single writer: the state the next crawl starts from, the document checks to keep (the
 * fetched ones now, the skipped ones as they were), its counts, the documents it no longer found, and the URLs the
 * previous crawl did not know — some may be vanished documents listed again, which only the warehouse can tell.
 */
function crawlRecord(
  runId: string,
  source: Source,
  result: CrawlResult,
  checks: DocumentChecks,
  previousState: SourceCrawlState | null,
): RecordCrawlJobData {
  return {
    runId,
    source: { sourceId: source.id, name: source.name, regionCode: source.regionCode ?? null, level: source.level ?? null },
    state: result.state,
    checks,
    disappeared: result.disappeared.map((document) => document.url),
    reappeared: unknownBefore(previousState, source.id, result.discovered),
    counts: {
      pagesFetched: result.pagesFetched,
      pagesNotModified: result.pagesNotModified,
      pagesSkipped: result.pagesSkipped,
      discovered: result.discovered.length,
      disappeared: result.disappeared.length,
      errors: result.errors.length,
      blocked: result.blocked,
    },
  };
}

/** Documents left alone still count: as unchanged, and as reports found when they are (else health would see a collapse). */
async function countSkipped(tracker: RunTracker, runId: string, sourceId: string, skipped: Map<string, boolean>): Promise<void> {
  if (skipped.size === 0) return;
  await tracker.add(runId, sourceCounter(sourceId, 'unchanged'), skipped.size);
  const reports = [...skipped.values()].filter(Boolean).length;
  if (reports > 0) await tracker.add(runId, sourceCounter(sourceId, 'reports'), reports);
}

/**
 * Of `urls`, those the warehouse has a sighting of: the latest fetch (for a conditional request) and whether it is a
 * report. None when the warehouse is absent or busy (a read-only open, so the loader's lock is never taken).
 */
async function knownSightings(config: Config, urls: string[]): Promise<Map<string, KnownSighting>> {
  if (urls.length === 0 || !existsSync(config.duckdbPath)) return new Map();
  try {
    return await oneWarehouseReaderAtATime(() =>
      withReadOnlyWarehouse(config.duckdbPath, async (warehouse) => {
        const known = new Map<string, KnownSighting>();
        for (const url of urls) {
          const sighting = await lookupSighting(warehouse, url);
          if (sighting) known.set(url, sighting);
        }
        return known;
      }),
    );
  } catch {
    return new Map();
  }
}

/**
 * Runs the read-only warehouse lookups of a process's crawl jobs one after the other: with hundreds of crawls in
 * flight, each opening DuckDB of its own would multiply its memory, and hold off the loader longer.
 */
let readerTurn: Promise<unknown> = Promise.resolve();
function oneWarehouseReaderAtATime<T>(read: () => Promise<T>): Promise<T> {
  const result = readerTurn.then(read, read);
  readerTurn = result.catch(() => undefined);
  return result;
}

interface AskedStart {
  crawl: CrawlAbout;
  activity: JobActivity;
  resolve: (start: CrawlStart) => void;
  reject: (error: unknown) => void;
}

/**
 * Where a crawl starts (load/crawl-states.ts). The crawls that ask while another read has its turn are read together
 * at the next turn: a thousand crawls starting at once cost a few opens of the file, not a thousand.
 */
const waitingStarts = new Map<string, AskedStart[]>();
function crawlStartOf(config: Config, crawl: CrawlAbout, context: StageContext): Promise<CrawlStart> {
  const { duckdbPath } = config;
  return new Promise((resolve, reject) => {
    const waiting = waitingStarts.get(duckdbPath) ?? [];
    waitingStarts.set(duckdbPath, waiting);
    waiting.push({ crawl, activity: context.activity, resolve, reject });
    if (waiting.length > 1) return; // a turn is already booked for this file
    void oneWarehouseReaderAtATime(async () => {
      const batch = waiting.splice(0);
      waitingStarts.delete(duckdbPath);
      const report = reportStartWait(config, context.redis, batch);
      try {
        const starts = await readCrawlStarts(
          duckdbPath,
          batch.map((asked) => asked.crawl),
          { onWait: report.onWait },
        );
        batch.forEach((asked, index) => asked.resolve(starts[index]!));
      } catch (error) {
        for (const asked of batch) asked.reject(error);
      } finally {
        await report.end();
      }
    });
  });
}

/**
 * The crawls' wait for the file, said where people look: the crawl stage's status in Redis and a warning in the log
 * (jobs/warehouse-wait.ts), and each waiting job's BullMQ log and progress.
 */
function reportStartWait(config: Config, redis: Redis, batch: AskedStart[]) {
  const report = reportWarehouseWait(redis, config.queuePrefix, 'crawl', {
    jobs: () => batch.length,
    said: (message) => batch.forEach((asked) => asked.activity.log(message)),
  });
  return {
    onWait(waitedMs: number, error: Error) {
      report.onWait(waitedMs, error);
      const waiting = { waitingFor: 'the DuckDB file, held by another process', waitedSecs: Math.round(waitedMs / 1000) };
      for (const asked of batch) asked.activity.progress(waiting);
    },
    end: report.end,
  };
}

/** The source's government, in the few fields each document carries to the parser. */
function issuerOf(source: Source): DocumentIssuer {
  return {
    name: source.name,
    ...(source.regionCode ? { regionCode: source.regionCode } : {}),
    ...(source.level ? { level: source.level } : {}),
  };
}

/** What the parser falls back to when a document does not name its issuer's region or level. */
function issuerContext(issuer: DocumentIssuer | undefined): Pick<ReportContext, 'sourceName' | 'sourceRegionCode' | 'sourceLevel'> {
  if (!issuer) return {};
  return {
    sourceName: issuer.name,
    ...(issuer.regionCode ? { sourceRegionCode: issuer.regionCode } : {}),
    ...(issuer.level ? { sourceLevel: issuer.level } : {}),
  };
}

async function fetch(config: Config, job: Job<FetchJobData>, { tracker }: StageContext): Promise<StageOutput> {
  const { runId, document } = job.data;
  const { previous } = job.data;
  const fetched = await fetchDocument(
    document,
    {
      rawDir: dataLayout(config.dataDir).rawDir,
      userAgent: config.userAgent,
      requestTimeoutSecs: config.requestTimeoutSecs,
      maxBodyBytes: config.maxBodyBytes,
      allowPrivateNetworks: config.allowPrivateNetworks,
      allowedPrivateAddresses: config.allowedPrivateAddresses,
      idleTimeoutSecs: config.idleTimeoutSecs,
      ...(job.data.tls ? { tls: job.data.tls } : {}),
      hosts: hostSchedulerOf(config),
      budget: politenessBudget(job.data.politeness),
    },
    previous,
  );
  // Unchanged since it was loaded (304, or the same bytes): the chain stops here.
  if (fetched.notModified || fetched.sha256 === previous?.sha256) {
    await tracker.add(runId, sourceCounter(document.sourceId, 'unchanged'));
    // Still found, just not re-processed: without this a quiet night would look like a collapse in source health.
    if (previous?.isReport) await tracker.add(runId, sourceCounter(document.sourceId, 'reports'));
    return { result: { sha256: fetched.sha256, unchanged: true } };
  }
  if (previous) await tracker.add(runId, sourceCounter(document.sourceId, 'changed'));
  return {
    result: { sha256: fetched.sha256, byteLength: fetched.byteLength },
    next: [
      {
        stage: 'extract',
        jobs: [
          {
            name: 'extract',
            key: urlKey(document.url),
            data: { runId, fetched: document.issuer ? { ...fetched, issuer: document.issuer } : fetched },
          },
        ],
      },
    ],
  };
}

/** A document's raw archive file is gone (deleted, a data directory restored without data/raw): fetching it again helps, retrying does not. */
export class ArchiveMissingError extends Error {
  readonly code = 'ARCHIVE_MISSING';
  readonly retryable = false;
}

/** The archived bytes of a document, or ARCHIVE_MISSING naming the file and the URL they came from. */
async function readArchived(archivePath: string, url: string): Promise<Buffer> {
  try {
    return await readFile(archivePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ArchiveMissingError(
      `the raw archive file ${archivePath} of ${url} is missing: crawl the source again (or re-fetch the document) to restore it`,
    );
  }
}

/** Extracts the fetched bytes; a multi-page article part by part, joined into one document under the article's hash. */
async function extractFetched(config: Config, fetched: FetchedDocument): Promise<ExtractedDocument> {
  const parts = fetched.parts ?? [
    { url: fetched.finalUrl, sha256: fetched.sha256, archivePath: fetched.archivePath, contentType: fetched.contentType },
  ];
  const documents = await Promise.all(
    parts.map(async (part) =>
      extractPool().extract(await readArchived(part.archivePath, part.url), {
        sha256: part.sha256,
        contentType: part.contentType,
        url: part.url,
        maxBytes: config.maxBodyBytes,
      }),
    ),
  );
  return fetched.parts ? { ...joinHtmlPages(documents), sha256: fetched.sha256 } : documents[0]!;
}

async function extract(config: Config, job: Job<ExtractJobData>): Promise<StageOutput> {
  const { runId, fetched } = job.data;
  const document = await extractFetched(config, fetched);
  const file = extractedPath(dataLayout(config.dataDir), fetched.sha256, document.extractorVersion);
  await writeJsonAtomic(file, document);
  return {
    result: { format: document.format, pages: document.pages.length, warnings: document.warnings.length },
    next: [{ stage: 'parse', jobs: [{ name: 'parse', key: urlKey(fetched.url), data: { runId, fetched, extractedPath: file } }] }],
  };
}

async function parse(config: Config, job: Job<ParseJobData>): Promise<StageOutput> {
  const { runId, fetched, extractedPath: source } = job.data;
  const document = await readJson<ExtractedDocument>(source);
  const report = parseReport(document, {
    url: fetched.finalUrl,
    title: fetched.title,
    publishedAt: fetched.publishedAt,
    ...issuerContext(fetched.issuer),
  });
  const file = parsedPath(dataLayout(config.dataDir), fetched.sha256, report.parserVersion);
  await writeJsonAtomic(file, report);
  const data: LoadDocumentJobData = { runId, fetched, extractedPath: source, parsedPath: file };
  return {
    result: { isReport: report.meta.isReport, year: report.meta.year, cells: report.cells.length, anomalies: report.anomalies.length },
    next: [{ stage: 'load', jobs: [{ name: LOAD_JOB.document, key: urlKey(fetched.url), data }] }],
  };
}

/**
 * A finished run's summary for the single writer (load/record-run.ts recordRunSummaries, which judges per-source health
 * against the previous run): its counters and per-source counts. (What each crawl noticed was recorded with its crawl.)
 */
export async function prepareRunSummary(config: Config, runId: string, tracker: RunTracker): Promise<RunSummary> {
  const state = await tracker.state(runId);
  const sources = [...sourceCountsOf(state.counts)].map(([sourceId, counts]) => ({
    sourceId,
    pagesFetched: counts.pages,
    reportsFound: counts.reports,
    newDocuments: counts.new,
    changed: counts.changed,
    blocked: counts.blocked,
    errors: counts.errors,
    disappeared: counts.disappeared,
  }));
  const notJudged = healthNotJudged(state.counts);
  return {
    runId: state.runId,
    startedAt: state.startedAt ?? new Date().toISOString(),
    finishedAt: state.finishedAt ?? new Date().toISOString(),
    status: runStatus(state.counts, state.cancelledAt !== undefined),
    summary: state.counts,
    sources,
    ...(notJudged ? { healthNotJudged: notJudged } : {}),
  };
}

/** The processors of the stages before load; the load queue has its batch writer (jobs/load-worker.ts). */
export const processors: Record<Exclude<Stage, 'load'>, Processor> = {
  crawl,
  fetch,
  extract,
  parse,
};
