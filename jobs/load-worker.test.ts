/**
 * The single writer on a real Redis and a real DuckDB file: it loads a run's documents in batches, waits for a reader
 * in another process without spending an attempt (saying so in Redis), fails only the bad document and records it, and
 * keeps failure records and the run's summary queued until the file can be written.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Worker } from 'bullmq';
import type { Config } from '../config/config.ts';
import { dataLayout } from '../config/data-layout.ts';
import { syntheticReport, writeSyntheticLoadJob } from '../load/fixtures/synthetic-reports.ts';
import { runReadOnlySql } from '../load/sql.ts';
import { withWarehouse } from '../load/warehouse.ts';
import { loaderWaiting } from './load-worker.ts';
import { LOAD_JOB } from './payloads.ts';
import { enqueueJobs, startWorkers, type Pipeline } from './pipeline.ts';
import { openTestPipeline, waitFor, type TestPipeline } from './test-support.ts';

let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;
let workers: Worker[] = [];

before(async () => {
  fixture = await openTestPipeline('load-worker', { loadBatchSize: 8, loadBatchWaitMs: 100 });
  ({ dir, config, pipeline } = fixture);
});

after(async () => {
  await Promise.all(workers.map((worker) => worker.close()));
  await fixture?.close();
});

/** Another process holding the DuckDB file read-only (as `duckdb -readonly` would) until release() is called. */
async function holdFile(file: string): Promise<{ release(): Promise<void> }> {
  const reader: ChildProcess = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { DuckDBInstance } from '@duckdb/node-api';
      const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { access_mode: 'READ_ONLY' });
      console.log('holding');
      process.stdin.resume();
      process.stdin.on('end', () => { instance.closeSync(); process.exit(0); });`,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => reader.stdout!.once('data', () => resolve()));
  const exited = new Promise<void>((resolve) => reader.once('exit', () => resolve()));
  return { release: async () => void (reader.stdin!.end(), await exited) };
}

/** Load jobs of `count` simulated reports of `runId`; the one at `badAt` names a parse of another document. */
async function loadJobs(runId: string, count: number, badAt?: number) {
  const rawDir = dataLayout(config.dataDir).rawDir;
  const jobs = [];
  for (let n = 0; n < count; n += 1) {
    const input = syntheticReport(n, runId, rawDir);
    if (n === badAt) input.parsed = { ...input.parsed, sha256: 'f'.repeat(64) };
    jobs.push({ name: LOAD_JOB.document, key: `doc${n}`, data: await writeSyntheticLoadJob(config.dataDir, input) });
  }
  return jobs;
}

test('loads a run in batches, waiting for a reader without spending attempts, and fails only the bad document', async () => {
  await withWarehouse(config.duckdbPath, async () => undefined);
  const reader = await holdFile(config.duckdbPath);
  const runId = 'run-reader';
  await enqueueJobs(pipeline, runId, 'load', await loadJobs(runId, 30, 7));
  workers = startWorkers(pipeline, { stages: ['load'] });
  const waiting = await waitFor(
    () => loaderWaiting(pipeline.redis, config.queuePrefix).then((status) => status ?? undefined),
    AbortSignal.timeout(60_000),
  );
  assert.match(waiting.reason, /cannot open DuckDB file .* read-write/);
  assert.ok(
    (await pipeline.queues.load.getWorkers()).length > 0,
    "the loader shows as the load queue's worker (crawl --wait looks for one)",
  );
  assert.ok(waiting.jobs > 0);
  await reader.release();
  const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(120_000) });
  assert.equal(state.counts['load:completed'], 29);
  assert.equal(state.counts['load:failed'], 1);
  assert.equal(state.counts['failures:SHA256_MISMATCH'], 1);
  const completed = await pipeline.queues.load.getJobs(['completed'], 0, -1);
  const documents = completed.filter((job) => job.name === LOAD_JOB.document);
  assert.equal(documents.length, 29);
  assert.deepEqual([...new Set(documents.map((job) => job.attemptsMade))], [1], 'each document was written at its first attempt');
  const [failed] = await pipeline.queues.load.getJobs(['failed'], 0, -1);
  assert.match(failed!.failedReason, /SHA256_MISMATCH/);
  const rows = async (sql: string) => (await runReadOnlySql(config.duckdbPath, sql)).rows;
  assert.deepEqual(await rows('select count(*) from reports'), [[29]]);
  assert.deepEqual(await rows(`select stage, code from failures where run_id = '${runId}'`), [['load', 'SHA256_MISMATCH']]);
  assert.deepEqual(await rows(`select run_id, status from crawl_runs where run_id = '${runId}'`), [[runId, 'finished_with_failures']]);
  assert.equal(await loaderWaiting(pipeline.redis, config.queuePrefix), null);
});

test('keeps failure records and the run summary queued while the file cannot be written, then writes them', async () => {
  const runId = 'run-broken';
  const broken = { ...config, duckdbPath: path.join(dir, 'broken.duckdb') };
  await mkdir(broken.duckdbPath); // a directory where the file should be: every open fails, and not for a lock
  await Promise.all(workers.map((worker) => worker.close()));
  const brokenPipeline = { ...pipeline, config: broken };
  const failure = {
    runId,
    stage: 'fetch',
    url: 'http://127.0.0.1/gone.html',
    sha256: null,
    sourceId: 'demo',
    code: 'HTTP_404',
    reason: 'gone',
  };
  await enqueueJobs(brokenPipeline, runId, 'load', [{ name: LOAD_JOB.failure, key: 'failure.gone', data: failure }]);
  workers = startWorkers(brokenPipeline, { stages: ['load'] });
  const job = (await pipeline.queues.load.getJob(`${runId}.load.failure.gone`))!;
  await waitFor(async () => (await job.getState()) === 'delayed' || undefined, AbortSignal.timeout(60_000));
  const logs = await pipeline.queues.load.getJobLogs(job.id!);
  assert.match(logs.logs.join('\n'), /kept queued/);
  const status = await loaderWaiting(pipeline.redis, config.queuePrefix); // what `crawl --wait` shows meanwhile
  assert.match(status?.reason ?? '', /a write failed, retried in \d+ s/);
  await rm(broken.duckdbPath, { recursive: true });
  const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(120_000) });
  assert.equal(state.counts['record-failure:completed'], 1);
  assert.deepEqual((await runReadOnlySql(broken.duckdbPath, `select url, code from failures where run_id = '${runId}'`)).rows, [
    ['http://127.0.0.1/gone.html', 'HTTP_404'],
  ]);
});

/** The loader's blocking connection as Redis lists it (BullMQ names it `<prefix>:<queue in base64>:w:<worker name>`). */
async function loaderBlockingClient(prefix: string): Promise<string | undefined> {
  const clients = (await pipeline.redis.client('LIST')) as string;
  const name = `name=${prefix}:${Buffer.from('load').toString('base64')}:w:`;
  return clients.split('\n').find((line) => line.includes(name));
}

test('closing the loader ends its wait for the next job at once, and closes its connections (a closing process exits)', async () => {
  const second = await openTestPipeline('load-worker-close');
  const { config: closing, pipeline: idle } = second;
  try {
    // A job due in 8 s: an idle loader blocks on Redis until then (BullMQ waits up to 10 s for a delayed job).
    await idle.queues.load.add(LOAD_JOB.failure, { runId: 'later' }, { jobId: 'due-later', delay: 8_000 });
    const [loader] = startWorkers(idle, { stages: ['load'] });
    await waitFor(async () => (await loaderBlockingClient(closing.queuePrefix))?.includes('cmd=bzpopmin'), AbortSignal.timeout(60_000));
    await loader!.close();
    // Had close sat out the wait, the loader would have taken the job when it fell due.
    assert.equal(await (await idle.queues.load.getJob('due-later'))!.getState(), 'delayed');
    assert.equal(await loaderBlockingClient(closing.queuePrefix), undefined, 'no connection of the loader is left open');
  } finally {
    await second.close();
  }
});
