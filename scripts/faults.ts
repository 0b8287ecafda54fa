/**
 * Fault tests on real processes: `npm run test:faults`.
 *   1. kill -9 a worker process while it extracts, at least 20 times  → every document is loaded exactly once;
 *   2. restart Redis (private, AOF) in the middle of runs              → nothing is lost;
 *   3. kill -9 the loader (the DuckDB writer) mid-batch at random moments → no partial report in DuckDB;
 *   4. a reader holds the DuckDB file for 2 minutes while documents arrive → the loader waits, nothing fails or is lost.
 * Input: the demo portals. Workers: `node bin/yangguang.mjs worker` configured through the environment. A clean
 * reference run first gives the expected documents per run and the loader's throughput (reports/s).
 * The last line is `faults: trials=<n> lost=<n> duplicated=<n> partial=<n> unrecorded=<n>` (unrecorded: a job that
 * failed for good without its failures row, or a failure record or run summary dropped); the exit code is 1 unless
 * all four are 0.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../config/config.ts';
import { dataLayout, parsedPath } from '../config/data-layout.ts';
import { LOAD_JOB, type Stage } from '../jobs/payloads.ts';
import { enqueueRun, openPipeline, type Pipeline } from '../jobs/pipeline.ts';
import { enqueueReprocess } from '../jobs/reprocess.ts';
import { startPrivateRedis, type RedisHandle } from '../jobs/redis.ts';
import { killWorker, spawnWorker, waitFor, type WorkerProcess } from '../jobs/test-support.ts';
import { runReadOnlySql, withWarehouse } from '../load/index.ts';
import { loaderWaiting } from '../jobs/load-worker.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';
import { startDemoPortals, type DemoPortals } from '../simulator/index.ts';
import { compareWithPlanted } from '../cli/demo.ts';

const EXTRACT_KILLS = Number(process.env.FAULTS_EXTRACT_KILLS ?? 20);
const REDIS_RESTARTS = Number(process.env.FAULTS_REDIS_RESTARTS ?? 3);
const LOADER_KILLS = Number(process.env.FAULTS_LOADER_KILLS ?? 6);
/** How long the reader trial holds the DuckDB file while a run's documents arrive. */
const READER_HOLD_MS = Number(process.env.FAULTS_READER_HOLD_SECS ?? 120) * 1000;
/** Runs started together while killing extractors: more documents in flight, so more extract jobs to kill. */
const EXTRACT_RUNS_AT_ONCE = 2;
const RUN_TIMEOUT_MS = 240_000;

/** A phase's own data directory and DuckDB file: later runs over the same archive would skip unchanged documents. */
interface Batch {
  name: string;
  config: Config;
  runs: string[];
}

interface Harness {
  dir: string;
  batch: Batch;
  redisDir: string;
  redisPort: number;
  redis: RedisHandle;
  demo: DemoPortals;
  config: Config;
  pipeline: Pipeline;
  workers: Set<WorkerProcess>;
  batches: Batch[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);
const log = (message: string) => console.log(`faults: ${message}`);

async function setUp(): Promise<Harness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'yangguang-faults-'));
  const redisDir = path.join(dir, 'redis');
  const redis = await startPrivateRedis(redisDir);
  const redisPort = Number(new URL(redis.url).port);
  const demo = await startDemoPortals();
  const config = loadConfig({
    env: {},
    overrides: { allowPrivateNetworks: true, redisUrl: redis.url, dataDir: path.join(dir, 'data'), queuePrefix: 'yg-faults' },
  });
  const pipeline = await openPipeline(config);
  const h: Harness = { dir, batch: null!, redisDir, redisPort, redis, demo, config, pipeline, workers: new Set(), batches: [] };
  newBatch(h, 'reference');
  return h;
}

/** Starts a phase on a fresh data directory (stop the previous phase's workers first). */
function newBatch(h: Harness, name: string): Batch {
  const config = loadConfig({
    env: {},
    overrides: { allowPrivateNetworks: true, redisUrl: h.redis.url, dataDir: path.join(h.dir, name), queuePrefix: 'yg-faults' },
  });
  h.batch = { name, config, runs: [] };
  h.batches.push(h.batch);
  return h.batch;
}

async function tearDown(h: Harness): Promise<void> {
  await Promise.all([...h.workers].map((worker) => killWorker(worker)));
  await h.pipeline.close();
  await h.demo.close();
  await h.redis.stop();
  if (!process.env.FAULTS_KEEP) await rm(h.dir, { recursive: true, force: true });
}

function startWorker(h: Harness, queues: readonly Stage[]): WorkerProcess {
  const worker = spawnWorker(
    {
      REDIS_URL: h.redis.url,
      YANGGUANG_DATA_DIR: h.batch.config.dataDir,
      YANGGUANG_QUEUE_PREFIX: h.config.queuePrefix,
      YANGGUANG_ALLOW_PRIVATE_NETWORKS: '1',
    },
    ['--queues', queues.join(','), '--concurrency', '2'],
  );
  h.workers.add(worker);
  void worker.exited.then(() => h.workers.delete(worker));
  return worker;
}

/**
 * Starts `count` runs at once. A batch's first runs crawl the demo portals; later ones re-process the batch's archive
 * from extract on, so that every run has extract and load work to interrupt (a re-crawl of the unchanged portals
 * asks only for list pages and loads nothing).
 */
async function startRuns(h: Harness, count: number): Promise<string[]> {
  const sources = h.demo.portals.map((portal) => portal.source);
  const crawled = h.batch.runs.length > 0;
  const batchPipeline: Pipeline = { ...h.pipeline, config: h.batch.config };
  const runs: string[] = [];
  for (let i = 0; i < count; i += 1) {
    runs.push(crawled ? (await enqueueReprocess(batchPipeline, 'extract')).runId : await enqueueRun(h.pipeline, sources));
  }
  h.batch.runs.push(...runs);
  return runs;
}

async function allRecorded(h: Harness, runs: string[]): Promise<boolean> {
  const states = await Promise.all(runs.map((runId) => h.pipeline.tracker.state(runId)));
  return states.every((state) => state.status === 'recorded');
}

async function waitRecorded(h: Harness, runs: string[]): Promise<void> {
  await waitFor(() => allRecorded(h, runs), AbortSignal.timeout(RUN_TIMEOUT_MS), 200);
}

/**
 * A worker process holding an active job of `stage` (named `name`, if given), and the job's id — only a process whose
 * every active job has been orphaned at most twice: killing a process orphans all its jobs, and a job orphaned
 * WORKER_DEATHS_LIMIT times is failed on purpose (WORKER_DIED), which this script would count as lost.
 */
async function victimOf(h: Harness, stage: Stage, name?: string): Promise<{ worker: WorkerProcess; jobId: string } | null> {
  const active = (await Promise.all(Object.values(h.pipeline.queues).map((queue) => queue.getJobs(['active'], 0, 50)))).flat();
  const pidOf = (job: (typeof active)[number]) => Number(job.processedBy?.split(':').pop());
  for (const job of active) {
    if (job.queueName !== stage || (name && job.name !== name)) continue;
    const pid = pidOf(job);
    if (active.some((other) => pidOf(other) === pid && other.stalledCounter >= 2)) continue;
    const worker = [...h.workers].find((candidate) => candidate.child.pid === pid);
    if (worker) return { worker, jobId: job.id! };
  }
  return null;
}

/**
 * Kills (-9) whichever worker holds an active job of `stage`, `kills` times, starting a replacement each time and
 * letting the pipeline breathe between kills (a job killed over and over would rightly fail as stalled).
 */
async function killWhileActive(
  h: Harness,
  target: { stage: Stage; name?: string; runsAtOnce: number },
  kills: number,
  replace: () => void,
): Promise<number> {
  let done = 0;
  const deadline = Date.now() + RUN_TIMEOUT_MS * 2;
  while (done < kills && Date.now() < deadline) {
    const runs = await startRuns(h, target.runsAtOnce);
    while (done < kills && !(await allRecorded(h, runs))) {
      const victim = await victimOf(h, target.stage, target.name);
      if (!victim) {
        await sleep(20);
        continue;
      }
      await sleep(random(0, 40));
      await killWorker(victim.worker, 'SIGKILL');
      replace();
      done += 1;
      await sleep(random(1_000, 2_500));
    }
    await waitRecorded(h, runs);
  }
  return done;
}

interface Expected {
  documents: number;
  failuresPerRun: number;
  mismatches: number;
}

async function referenceRun(h: Harness): Promise<Expected & { reportsPerSec: number }> {
  const workers = [startWorker(h, ['crawl', 'fetch', 'extract', 'parse']), startWorker(h, ['load'])];
  const [runId] = await startRuns(h, 1);
  await waitRecorded(h, [runId!]);
  const documents = await scalar(h.batch, 'select count(*) from documents');
  const failures = await scalar(h.batch, 'select count(*) from failures');
  const mismatches = (await compareWithPlanted(h.batch.config.duckdbPath, h.demo.planted)).mismatches.length;
  const reportsPerSec = await loaderThroughput(h);
  await Promise.all(workers.map((worker) => killWorker(worker, 'SIGTERM')));
  return { documents, failuresPerRun: failures, mismatches, reportsPerSec };
}

/**
 * Load-document jobs per second of the single loader while it was busy: the jobs' [taken, finished] spans from the
 * queue's own timestamps, merged (a batch's jobs are held together), over every load job so far.
 */
async function loaderThroughput(h: Harness): Promise<number> {
  const jobs = (await h.pipeline.queues.load.getJobs(['completed'], 0, -1)).filter((job) => job.name === LOAD_JOB.document);
  const spans = jobs
    .map((job) => [job.processedOn ?? 0, Math.max(job.finishedOn ?? 0, (job.processedOn ?? 0) + 1)] as const)
    .sort((a, b) => a[0] - b[0]);
  let busyMs = 0;
  let end = -Infinity;
  for (const [start, finish] of spans) {
    busyMs += Math.max(0, finish - Math.max(start, end));
    end = Math.max(end, finish);
  }
  return jobs.length / (busyMs / 1000);
}

async function restartRedisDuringRuns(h: Harness, restarts: number): Promise<number> {
  startWorker(h, ['crawl', 'fetch', 'extract', 'parse', 'load']);
  startWorker(h, ['crawl', 'fetch', 'extract', 'parse', 'load']);
  const runs = await startRuns(h, 1);
  let done = 0;
  for (; done < restarts; done += 1) {
    await sleep(random(1_000, 3_000));
    await h.redis.stop();
    await sleep(random(200, 1_500));
    h.redis = await startPrivateRedis(h.redisDir, h.redisPort);
  }
  await waitRecorded(h, runs);
  return done;
}

/**
 * A reader (another process, as the stock `duckdb -readonly` CLI would be) holds the DuckDB file for READER_HOLD_MS
 * while a run crawls the demo portals and its documents reach the loader, which must wait without failing anything.
 * Resolves true when the loader was seen waiting for it.
 */
async function holdFileDuringRun(h: Harness): Promise<boolean> {
  await withWarehouse(h.batch.config.duckdbPath, async () => undefined);
  startWorker(h, ['crawl', 'fetch', 'extract', 'parse']);
  startWorker(h, ['load']);
  const reader = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { DuckDBInstance } from '@duckdb/node-api';
      const instance = await DuckDBInstance.create(${JSON.stringify(h.batch.config.duckdbPath)}, { access_mode: 'READ_ONLY' });
      await new Promise((resolve) => setTimeout(resolve, ${READER_HOLD_MS}));
      instance.closeSync();`,
    ],
    { stdio: 'ignore' },
  );
  const released = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
  const runs = await startRuns(h, 1);
  let seenWaiting = false;
  while (reader.exitCode === null && reader.signalCode === null) {
    seenWaiting ||= (await loaderWaiting(h.pipeline.redis, h.config.queuePrefix)) !== null;
    await Promise.race([released, sleep(500)]);
  }
  await waitRecorded(h, runs);
  return seenWaiting;
}

/**
 * Jobs of the batch's runs that failed for good without a failures row, and failure records or run summaries that
 * were dropped (failed) instead of staying queued until written.
 */
async function countUnrecorded(h: Harness, batch: Batch): Promise<number> {
  const ofBatch = (id: string | undefined) => batch.runs.some((runId) => id?.startsWith(`${runId}.`));
  const failed = (await Promise.all(Object.values(h.pipeline.queues).map((queue) => queue.getJobs(['failed'], 0, -1))))
    .flat()
    .filter((job) => ofBatch(job.id));
  const dropped = failed.filter((job) => job.name === LOAD_JOB.failure || job.name === 'record-run').length;
  const runList = batch.runs.map((runId) => `'${runId}'`).join(', ') || "''";
  const rows = await scalar(batch, `select count(*) from failures where run_id in (${runList})`);
  const unrecorded = dropped + Math.max(0, failed.length - dropped - rows);
  if (unrecorded > 0)
    log(`${batch.name}: unrecorded ${unrecorded} (failed jobs ${failed.length}, dropped records ${dropped}, failures rows ${rows})`);
  return unrecorded;
}

async function scalar(batch: Batch, sql: string): Promise<number> {
  const result = await retryWhileLocked(() => runReadOnlySql(batch.config.duckdbPath, sql), { timeoutMs: 30_000 });
  return Number(result.rows[0]?.[0] ?? 0);
}

/** Rows beyond the first for each key that must be unique. */
async function countDuplicates(batch: Batch): Promise<number> {
  const keys: [string, string][] = [
    ['documents', 'sha256'],
    ['reports', 'report_id'],
    ['report_cells', 'report_id, key'],
    ['anomalies', 'report_id, kind, anomaly_id'],
    ['document_sightings', 'sha256, url, run_id'],
    ['failures', 'run_id, stage, url'],
    ['crawl_runs', 'run_id'],
    ['source_health', 'run_id, source_id'],
  ];
  let duplicates = 0;
  for (const [table, key] of keys) {
    duplicates += await scalar(batch, `select count(*) - (select count(*) from (select distinct ${key} from ${table})) from ${table}`);
  }
  return duplicates;
}

/** Reports whose cells or anomalies in DuckDB differ in number from their parse on disk. */
async function countPartial(batch: Batch): Promise<number> {
  const result = await retryWhileLocked(() =>
    runReadOnlySql(
      batch.config.duckdbPath,
      `select r.sha256, r.parser_version,
              (select count(*) from report_cells c where c.report_id = r.report_id),
              (select count(*) from anomalies a where a.report_id = r.report_id)
         from reports r`,
    ),
  );
  let partial = 0;
  for (const [sha256, version, cells, anomalies] of result.rows as [string, string, number, number][]) {
    const file = parsedPath(dataLayout(batch.config.dataDir), sha256, version);
    if (!existsSync(file)) continue;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { cells: unknown[]; anomalies: unknown[] };
    if (Number(cells) !== parsed.cells.length || Number(anomalies) !== parsed.anomalies.length) partial += 1;
  }
  return partial;
}

/** Runs never summarised, documents never loaded, planted figures missing, failures beyond the clean run's. */
async function countLost(h: Harness, batch: Batch, expected: Expected): Promise<number> {
  const unrecorded = [];
  for (const runId of batch.runs) {
    if ((await h.pipeline.tracker.state(runId)).status !== 'recorded') unrecorded.push(runId);
  }
  const losses = {
    unrecordedRuns: unrecorded.length * expected.documents,
    missingRunRows: Math.max(0, batch.runs.length - (await scalar(batch, 'select count(*) from crawl_runs'))),
    missingDocuments: Math.max(0, expected.documents - (await scalar(batch, 'select count(*) from documents'))),
    extraFailures: Math.max(0, (await scalar(batch, 'select count(*) from failures')) - expected.failuresPerRun * batch.runs.length),
    plantedMismatches: Math.max(
      0,
      (await compareWithPlanted(batch.config.duckdbPath, h.demo.planted)).mismatches.length - expected.mismatches,
    ),
  };
  const lost = Object.values(losses).reduce((sum, n) => sum + n, 0);
  if (lost > 0) {
    log(`${batch.name}: lost ${JSON.stringify(losses)}`);
    const failures = await retryWhileLocked(() =>
      runReadOnlySql(batch.config.duckdbPath, 'select run_id, stage, code, reason, url from failures'),
    );
    for (const row of failures.rows) log(`${batch.name}: failure ${row.join(' | ')}`);
  }
  return lost;
}

interface Trials {
  extractKills: number;
  restarts: number;
  loaderKills: number;
  readerHolds: number;
}

/** The three fault phases, each on its own data directory; counts what was done even if a phase gives up. */
async function runPhases(h: Harness, trials: Trials): Promise<void> {
  const all: Stage[] = ['crawl', 'fetch', 'extract', 'parse', 'load'];
  newBatch(h, 'extract-kills');
  startWorker(h, all);
  startWorker(h, all);
  const extractTarget = { stage: 'extract' as const, runsAtOnce: EXTRACT_RUNS_AT_ONCE };
  trials.extractKills = await killWhileActive(h, extractTarget, EXTRACT_KILLS, () => void startWorker(h, all));
  log(`killed a worker mid-extract ${trials.extractKills} times`);
  await Promise.all([...h.workers].map((worker) => killWorker(worker, 'SIGTERM')));

  newBatch(h, 'redis-restarts');
  trials.restarts = await restartRedisDuringRuns(h, REDIS_RESTARTS);
  log(`restarted Redis ${trials.restarts} times mid-run`);
  await Promise.all([...h.workers].map((worker) => killWorker(worker, 'SIGTERM')));

  newBatch(h, 'loader-kills');
  startWorker(h, ['crawl', 'fetch', 'extract', 'parse']);
  startWorker(h, ['load']);
  const loaderTarget = { stage: 'load' as const, name: LOAD_JOB.document, runsAtOnce: 1 };
  trials.loaderKills = await killWhileActive(h, loaderTarget, LOADER_KILLS, () => void startWorker(h, ['load']));
  log(`killed the loader mid-batch ${trials.loaderKills} times`);
  await Promise.all([...h.workers].map((worker) => killWorker(worker, 'SIGTERM')));

  if (READER_HOLD_MS > 0) {
    newBatch(h, 'reader-holds');
    const waited = await holdFileDuringRun(h);
    trials.readerHolds = 1;
    log(
      `a reader held the DuckDB file for ${READER_HOLD_MS / 1000} s while documents arrived; the loader ${waited ? 'waited for it' : 'was never seen waiting'}`,
    );
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const h = await setUp();
  const trials: Trials = { extractKills: 0, restarts: 0, loaderKills: 0, readerHolds: 0 };
  const result = { lost: 0, duplicated: 0, partial: 0, unrecorded: 0 };
  try {
    const reference = await referenceRun(h);
    log(`reference run: ${reference.documents} documents, loader ${reference.reportsPerSec.toFixed(1)} reports/s while busy`);
    // A phase that times out still gets checked: its unfinished runs count as lost.
    await runPhases(h, trials).catch((error: Error) => log(`a phase gave up: ${error.stack ?? error.message}`));
    result.lost += Math.max(0, EXTRACT_KILLS - trials.extractKills);
    for (const batch of h.batches) {
      result.lost += await countLost(h, batch, reference);
      result.duplicated += await countDuplicates(batch);
      result.partial += await countPartial(batch);
      result.unrecorded += await countUnrecorded(h, batch);
    }
    log(`${h.batches.reduce((sum, batch) => sum + batch.runs.length, 0)} runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (error) {
    log(`could not check the results: ${(error as Error).stack ?? String(error)}`);
    result.lost = Math.max(1, result.lost);
  } finally {
    await tearDown(h);
  }
  const count = trials.extractKills + trials.restarts + trials.loaderKills + trials.readerHolds;
  console.log(
    `faults: trials=${count} lost=${result.lost} duplicated=${result.duplicated} partial=${result.partial} unrecorded=${result.unrecorded}`,
  );
  if (Object.values(result).some((n) => n !== 0)) process.exitCode = 1;
}

await main();
