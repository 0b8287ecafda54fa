/**
 * One processor per queue: reads the job's references, calls the stage function, stores its output
 * content-addressed, and says which jobs come next. No queue handling here beyond reading job.data.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import type { Config } from '../config/config.ts';
import { crawlStatePath, dataLayout, disappearancesPath, documentChecksPath, extractedPath, parsedPath, reappearancesPath, runSourcePath, type DataLayout } from '../config/data-layout.ts';
import { readJson, sha256Hex, writeJsonAtomic } from '../shared/files.ts';
import {
  crawlSource,
  fetchDocument,
  knownDocuments,
  usableState,
  type DiscoveredDocument,
  type SourceCrawlState,
} from '../crawlers/index.ts';
import type { Source } from '../crawlers/types.ts';
import type { DocumentIssuer, FetchedDocument } from '../shared/document.ts';
import { joinHtmlPages } from '../extract/join-html-pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { loadDocument, recordFailure, recordRun, withReadOnlyWarehouse, type SourceEntry, type Warehouse } from '../load/index.ts';
import { withWarehouseWhenFree } from '../load/retry-locked.ts';
import { recordDisappearances, recordReappearances, type DocumentNotice } from '../load/disappearances.ts';
import { lastSourceHealth, lookupSighting, type KnownSighting } from '../load/known-documents.ts';
import { assessSourceHealth } from '../load/source-health-flag.ts';
import { parseReport } from '../transform/index.ts';
import type { ParsedReport, ReportContext } from '../transform/types.ts';
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
import { matchesFilter } from './document-filter.ts';
import { planFetches, type DocumentChecks } from './recheck-policy.ts';
import { forgetRunStarts, runStart } from './run-start.ts';
import { extractPool } from './extract-pool.ts';
import type { RunTracker } from './run-tracker.ts';
import { HostScheduler, politenessBudget } from '../crawlers/host-scheduler.ts';

export interface NextJobs {
  stage: Stage;
  /** `delayMs`: the job waits that long in the queue before a worker may take it. */
  jobs: { name: string; key: string; data: unknown; delayMs?: number }[];
}

export interface StageOutput {
  /** Kept as the job's return value (small). */
  result: unknown;
  next?: NextJobs;
}

type Processor = (config: Config, job: Job, tracker: RunTracker) => Promise<StageOutput>;

const urlKey = (url: string) => sha256Hex(url).slice(0, 24);

/** How long a load job waits for a reader (`yangguang sql`, an export, a crawl worker's lookup) to let go of the file. */
const WRITER_LOCK_WAIT_MS = 30_000;

/** The loader's write: waits while another process holds the file rather than failing into the queue's backoff. */
function writeWarehouse<T>(config: Config, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  return withWarehouseWhenFree(config.duckdbPath, fn, { timeoutMs: WRITER_LOCK_WAIT_MS });
}

/** One host scheduler per process (per configuration), shared by every crawl and fetch job the process runs. */
const hostSchedulers = new Map<string, HostScheduler>();
function hostSchedulerOf(config: Config): HostScheduler {
  const key = `${config.maxRequestsInFlight}/${config.hostConcurrency}/${config.hostDelayMs}`;
  let scheduler = hostSchedulers.get(key);
  if (!scheduler) {
    scheduler = new HostScheduler({ maxInFlight: config.maxRequestsInFlight, defaultBudget: { concurrency: config.hostConcurrency, delayMs: config.hostDelayMs } });
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

async function crawl(config: Config, job: Job<CrawlJobData>, tracker: RunTracker): Promise<StageOutput> {
  const { runId, source } = job.data;
  // Incremental: list pages are asked conditionally and known detail pages replayed from the last crawl's state.
  const layout = dataLayout(config.dataDir);
  const { previousState, checks } = await runStart(layout, runId, source.id);
  const result = await crawlSource(source, {
    userAgent: config.userAgent,
    maxPages: config.maxPagesPerSource,
    requestTimeoutSecs: config.requestTimeoutSecs,
    concurrency: config.crawlConcurrency,
    hosts: hostSchedulerOf(config),
  }, previousState);
  await noteDisappearances(layout, runId, source.id, result.disappeared.map((document) => document.url), tracker);
  await noteReappearances(layout, runId, source.id, unknownBefore(previousState, source.id, result.discovered));
  await noteSource(layout, runId, source);
  await writeJsonAtomic(crawlStatePath(layout, source.id), result.state);
  await tracker.add(runId, `source:${source.id}:pages`, result.pagesFetched);
  await tracker.add(runId, `source:${source.id}:discovered`, result.discovered.length);
  await tracker.add(runId, `source:${source.id}:errors`, result.errors.length);
  await tracker.add(runId, `source:${source.id}:blocked`, result.blocked);
  const wanted = result.discovered.filter((document) => matchesFilter(document, job.data.filter));
  // One read-only look at the warehouse per crawl: each fetch job gets its URL's previous fetch in its data.
  const known = await knownSightings(config, wanted.map((document) => document.url));
  const plan = await planRun(config, layout, source.id, known, { wanted, unchanged: new Set(result.unchanged), checks, force: job.data.recheck === true });
  await countSkipped(tracker, runId, source.id, plan.skipped);
  const spacingMs = fetchSpacingMs(config, source);
  const jobs = plan.fetch.map((document, index) => {
    const previous = known.get(document.url);
    const data: FetchJobData = { runId, document: { ...document, issuer: issuerOf(source) }, ...(previous ? { previous } : {}), ...(source.tls ? { tls: source.tls } : {}), ...(source.politeness ? { politeness: source.politeness } : {}) };
    return { name: 'fetch', key: urlKey(document.url), data, ...(spacingMs > 0 && index > 0 ? { delayMs: Math.round(index * spacingMs) } : {}) };
  });
  return {
    result: {
      pagesFetched: result.pagesFetched,
      pagesNotModified: result.pagesNotModified,
      pagesSkipped: result.pagesSkipped,
      discovered: result.discovered.length,
      disappeared: result.disappeared.length,
      notFetched: plan.skipped.size,
      errors: result.errors,
    },
    next: { stage: 'fetch', jobs },
  };
}

/**
 * Counts the documents the crawl no longer found and leaves them for the run's summary job, which records them in
 * DuckDB (the loader is the single writer). The file is the run's own, so a later run cannot overwrite it.
 */
async function noteDisappearances(layout: DataLayout, runId: string, sourceId: string, urls: string[], tracker: RunTracker): Promise<void> {
  await tracker.add(runId, `source:${sourceId}:disappeared`, urls.length);
  if (urls.length > 0) await writeJsonAtomic(disappearancesPath(layout, runId, sourceId), { urls, noticedAt: new Date().toISOString() });
}

/**
 * URLs found now that the previous crawl did not know. Some may be vanished documents listed again; none after a cold
 * crawl, where every URL is new and the candidates would be noise.
 */
function unknownBefore(previousState: SourceCrawlState | null, sourceId: string, discovered: DiscoveredDocument[]): string[] {
  const previous = usableState(previousState, sourceId);
  if (!previous) return [];
  const known = knownDocuments(previous);
  return discovered.map((document) => document.url).filter((url) => !known.has(url));
}

/**
 * Leaves the candidate returns for the run's summary job, which records only those with a disappearance on record
 * (a crawl cannot tell a returning document from a new one; the warehouse can). Not counted: most are new documents.
 */
async function noteReappearances(layout: DataLayout, runId: string, sourceId: string, urls: string[]): Promise<void> {
  if (urls.length > 0) await writeJsonAtomic(reappearancesPath(layout, runId, sourceId), { urls, noticedAt: new Date().toISOString() });
}

/**
 * Which documents go on to fetch (jobs/recheck-policy.ts), against the documents the warehouse has loaded (`known`;
 * none when it was busy, so that everything goes to fetch, which asks conditionally) and the checks of earlier runs;
 * the checks file is updated. Returns the documents to fetch, and the skipped ones with whether each is a report.
 */
async function planRun(
  config: Config,
  layout: DataLayout,
  sourceId: string,
  known: Map<string, KnownSighting>,
  run: { wanted: DiscoveredDocument[]; unchanged: Set<string>; checks: DocumentChecks; force: boolean },
): Promise<{ fetch: DiscoveredDocument[]; skipped: Map<string, boolean> }> {
  const plan = planFetches({ ...run, loaded: new Set(known.keys()), now: new Date(), recheckDays: config.recheckDocumentsDays });
  await writeJsonAtomic(documentChecksPath(layout, sourceId), plan.checks);
  return { fetch: plan.fetch, skipped: new Map(plan.skip.map((document) => [document.url, known.get(document.url)!.isReport])) };
}

/** Documents left alone still count: as unchanged, and as reports found when they are (else health would see a collapse). */
async function countSkipped(tracker: RunTracker, runId: string, sourceId: string, skipped: Map<string, boolean>): Promise<void> {
  if (skipped.size === 0) return;
  await tracker.add(runId, `source:${sourceId}:unchanged`, skipped.size);
  const reports = [...skipped.values()].filter(Boolean).length;
  if (reports > 0) await tracker.add(runId, `source:${sourceId}:reports`, reports);
}

/**
 * Of `urls`, those the warehouse has a sighting of: the latest fetch (for a conditional request) and whether it is a
 * report. None when the warehouse is absent or busy (a read-only open, so the loader's lock is never taken).
 */
async function knownSightings(config: Config, urls: string[]): Promise<Map<string, KnownSighting>> {
  if (urls.length === 0 || !existsSync(config.duckdbPath)) return new Map();
  try {
    return await oneWarehouseReaderAtATime(() => withReadOnlyWarehouse(config.duckdbPath, async (warehouse) => {
      const known = new Map<string, KnownSighting>();
      for (const url of urls) {
        const sighting = await lookupSighting(warehouse, url);
        if (sighting) known.set(url, sighting);
      }
      return known;
    }));
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

/** The source's government, in the few fields each document carries to the parser. */
function issuerOf(source: Source): DocumentIssuer {
  return { name: source.name, ...(source.regionCode ? { regionCode: source.regionCode } : {}), ...(source.level ? { level: source.level } : {}) };
}

/** What the parser falls back to when a document does not name its issuer's region or level. */
function issuerContext(issuer: DocumentIssuer | undefined): Pick<ReportContext, 'sourceName' | 'sourceRegionCode' | 'sourceLevel'> {
  if (!issuer) return {};
  return { sourceName: issuer.name, ...(issuer.regionCode ? { sourceRegionCode: issuer.regionCode } : {}), ...(issuer.level ? { sourceLevel: issuer.level } : {}) };
}

/** Leaves the source's catalog entry for the run's summary job, which keeps it in the sources table. */
async function noteSource(layout: DataLayout, runId: string, source: Source): Promise<void> {
  const entry: SourceEntry = { sourceId: source.id, name: source.name, regionCode: source.regionCode ?? null, level: source.level ?? null };
  await writeJsonAtomic(runSourcePath(layout, runId, source.id), entry);
}

async function fetch(config: Config, job: Job<FetchJobData>, tracker: RunTracker): Promise<StageOutput> {
  const { runId, document } = job.data;
  const { previous } = job.data;
  const fetched = await fetchDocument(document, {
    rawDir: dataLayout(config.dataDir).rawDir,
    userAgent: config.userAgent,
    requestTimeoutSecs: config.requestTimeoutSecs,
    maxBodyBytes: config.maxBodyBytes,
    ...(job.data.tls ? { tls: job.data.tls } : {}),
    hosts: hostSchedulerOf(config),
    budget: politenessBudget(job.data.politeness),
  }, previous);
  // Unchanged since it was loaded (304, or the same bytes): the chain stops here.
  if (fetched.notModified || fetched.sha256 === previous?.sha256) {
    await tracker.add(runId, `source:${document.sourceId}:unchanged`);
    // Still found, just not re-processed: without this a quiet night would look like a collapse in source health.
    if (previous?.isReport) await tracker.add(runId, `source:${document.sourceId}:reports`);
    return { result: { sha256: fetched.sha256, unchanged: true } };
  }
  if (previous) await tracker.add(runId, `source:${document.sourceId}:changed`);
  return {
    result: { sha256: fetched.sha256, byteLength: fetched.byteLength },
    next: { stage: 'extract', jobs: [{ name: 'extract', key: urlKey(document.url), data: { runId, fetched: document.issuer ? { ...fetched, issuer: document.issuer } : fetched } }] },
  };
}

/** Extracts the fetched bytes; a multi-page article part by part, joined into one document under the article's hash. */
async function extractFetched(config: Config, fetched: FetchedDocument): Promise<ExtractedDocument> {
  const parts = fetched.parts ?? [{ url: fetched.finalUrl, sha256: fetched.sha256, archivePath: fetched.archivePath, contentType: fetched.contentType }];
  const documents = await Promise.all(
    parts.map(async (part) =>
      extractPool().extract(await readFile(part.archivePath), { sha256: part.sha256, contentType: part.contentType, url: part.url, maxBytes: config.maxBodyBytes }),
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
    next: { stage: 'parse', jobs: [{ name: 'parse', key: urlKey(fetched.url), data: { runId, fetched, extractedPath: file } }] },
  };
}

async function parse(config: Config, job: Job<ParseJobData>): Promise<StageOutput> {
  const { runId, fetched, extractedPath: source } = job.data;
  const document = await readJson<ExtractedDocument>(source);
  const report = parseReport(document, { url: fetched.finalUrl, title: fetched.title, publishedAt: fetched.publishedAt, ...issuerContext(fetched.issuer) });
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
    const recorded = await writeWarehouse(config, (warehouse) => recordFailure(warehouse, failure));
    return { result: { recorded } };
  }
  const { runId, fetched, extractedPath: extractedFile, parsedPath: parsedFile } = job.data as LoadDocumentJobData;
  const extracted = await readJson<ExtractedDocument>(extractedFile);
  const parsed = await readJson<ParsedReport>(parsedFile);
  const outcome = await writeWarehouse(config, (warehouse) =>
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

/** Writes the run's summary, per-source health (flagged against the previous run) and the documents that vanished or came back. */
async function recordRunSummary(config: Config, job: Job<{ runId: string }>, tracker: RunTracker): Promise<unknown> {
  const state = await tracker.state(job.data.runId);
  const sources = [...new Set(Object.keys(state.counts).filter((k) => k.startsWith('source:')).map((k) => k.split(':')[1]!))];
  const count = (field: string) => state.counts[field] ?? 0;
  const counts = (sourceId: string) => ({
    sourceId,
    pagesFetched: count(`source:${sourceId}:pages`),
    reportsFound: count(`source:${sourceId}:reports`),
    newDocuments: count(`source:${sourceId}:new`),
    changed: count(`source:${sourceId}:changed`),
    blocked: count(`source:${sourceId}:blocked`),
    errors: count(`source:${sourceId}:errors`),
  });
  const failed = Object.entries(state.counts).filter(([k]) => k.endsWith(':failed')).reduce((sum, [, v]) => sum + v, 0);
  const layout = dataLayout(config.dataDir);
  const disappearances = await readNotices(disappearancesPath, layout, state.runId, sources);
  const reappearances = await readNotices(reappearancesPath, layout, state.runId, sources);
  const entries = await readSourceEntries(layout, state.runId, sources);
  const recorded = await writeWarehouse(config, async (warehouse) => {
    const health = [];
    for (const sourceId of sources) {
      const previous = await lastSourceHealth(warehouse, sourceId, state.runId);
      const disappeared = count(`source:${sourceId}:disappeared`);
      health.push({ ...counts(sourceId), ...assessSourceHealth({ reportsFound: count(`source:${sourceId}:reports`), disappeared }, previous) });
    }
    const run = {
      runId: state.runId,
      startedAt: state.startedAt ?? new Date().toISOString(),
      finishedAt: state.finishedAt ?? new Date().toISOString(),
      status: failed > 0 ? 'finished_with_failures' : 'finished',
      summary: state.counts,
      health,
      sources: entries,
    };
    await recordRun(warehouse, run);
    await recordDisappearances(warehouse, disappearances);
    await recordReappearances(warehouse, reappearances);
    return run;
  });
  await forgetRunStarts(layout, state.runId); // file work: not while holding the writer's lock
  return recorded;
}

type RunFilePath = (layout: DataLayout, runId: string, sourceId: string) => string;

/** What the run's crawl jobs left in the per-source files `pathOf` names, by source (a crawl that never ran left none). */
async function readRunFiles<T>(pathOf: RunFilePath, layout: DataLayout, runId: string, sourceIds: string[]): Promise<[string, T][]> {
  const present = sourceIds.filter((sourceId) => existsSync(pathOf(layout, runId, sourceId)));
  return Promise.all(present.map(async (sourceId) => [sourceId, await readJson<T>(pathOf(layout, runId, sourceId))] as [string, T]));
}

/** The catalog entries the run's crawl jobs left (see noteSource). */
async function readSourceEntries(layout: DataLayout, runId: string, sourceIds: string[]): Promise<SourceEntry[]> {
  return (await readRunFiles<SourceEntry>(runSourcePath, layout, runId, sourceIds)).map(([, entry]) => entry);
}

/** The notices the run's crawls left in the files `pathOf` names (see noteDisappearances, noteReappearances). */
async function readNotices(pathOf: RunFilePath, layout: DataLayout, runId: string, sourceIds: string[]): Promise<DocumentNotice[]> {
  const files = await readRunFiles<{ urls: string[]; noticedAt: string }>(pathOf, layout, runId, sourceIds);
  return files.flatMap(([sourceId, { urls, noticedAt }]) => urls.map((url) => ({ url, sourceId, runId, noticedAt })));
}

export const processors: Record<Stage, Processor> & { recordRun: typeof recordRunSummary } = {
  crawl,
  fetch,
  extract,
  parse,
  load,
  recordRun: recordRunSummary,
};
