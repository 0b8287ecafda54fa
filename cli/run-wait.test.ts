/**
 * `crawl --wait` through the real command line, real Redis and a real portal on 127.0.0.1: what it says while it waits
 * and how it exits (README: exit codes).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { deleteKeys, openTestPipeline, waitFor } from '../jobs/test-support.ts';
import { withWarehouse } from '../load/warehouse.ts';
import { progressLine, waitForRun, type WaitResult } from './run-wait.ts';
import { enqueueJobs, enqueueRun, jobId, type Pipeline } from '../jobs/pipeline.ts';
import { warehouseWait } from '../jobs/warehouse-wait.ts';
import { sourceFromUrl } from './read-sources.ts';
import { PassThrough } from 'node:stream';
import { runCli, startCli } from './test-support.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `yg-test-run-wait-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'yg-run-wait-'));
const env = { REDIS_URL, YANGGUANG_QUEUE_PREFIX: prefix, YANGGUANG_DATA_DIR: dir, YANGGUANG_ALLOW_PRIVATE_NETWORKS: 'true' };

/** A 年报 column that lists no report at all. */
let portal: Server;
let columnUrl = '';
before(async () => {
  portal = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<html><head><title>政府信息公开年报</title></head><body><ul></ul></body></html>');
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  const address = portal.address();
  columnUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/zfxxgknb/index.html`;
});
after(async () => {
  await new Promise<void>((resolve) => portal.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
  await deleteKeys(REDIS_URL, `${prefix}*`);
});

test('--wait with no worker connected says so, suggests `worker` or --inline, and gives up at --timeout with exit 1', async () => {
  const result = await runCli(['crawl', '--url', columnUrl, '--wait', '--timeout', '2'], {
    ...env,
    YANGGUANG_QUEUE_PREFIX: `${prefix}-idle`,
  });
  assert.equal(result.status, 1, result.stderr);
  assert.match(result.stderr, /waiting for a worker for crawl: none is connected to .* start `yangguang worker`, or use --inline/);
  assert.match(result.stdout, /not finished within --timeout \(1 job\(s\) pending\); .*yangguang run cancel /);
});

test('a run whose records vanish from Redis (a restart without persistence) exits 3 and says so', async () => {
  const idle = `${prefix}-lost`;
  const cli = startCli(['crawl', '--url', columnUrl, '--wait'], { ...env, YANGGUANG_QUEUE_PREFIX: idle });
  const runId = await waitFor(async () => /run (\S+): 1 source/.exec(cli.stdout())?.[1], AbortSignal.timeout(60_000));
  await deleteKeys(REDIS_URL, `${idle}:run:*`);
  const result = await cli.done;
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stdout, new RegExp(`run ${runId}: its records are gone from Redis`));
  assert.doesNotMatch(result.stdout, /started \?|-\d+ pending/);
});

test('a crawl that finds no report exits 1 with its source flagged; the same crawl filtered by --years is not judged and exits 0', async () => {
  const full = await runCli(['crawl', '--url', columnUrl, '--inline'], env);
  assert.equal(full.status, 1, full.stderr);
  assert.match(full.stdout, /FLAGGED: no reports found/);
  const statusAfterFull = await runCli(['status'], env);
  assert.equal(statusAfterFull.status, 1, 'status exits 1 while the last run has a flagged source');
  assert.match(statusAfterFull.stdout, /started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d, finished .* \(Asia\/Shanghai\)/);
  const backfill = await runCli(['crawl', '--url', columnUrl, '--inline', '--years', '2019-2020'], env);
  assert.equal(backfill.status, 0, backfill.stderr);
  assert.match(backfill.stdout, /not judged: a filtered crawl/);
  assert.doesNotMatch(backfill.stdout, /FLAGGED/);
  assert.equal((await runCli(['status'], env)).status, 0);
});

test('a worker logs one line per job with its stage, source, outcome and time', async () => {
  const result = await runCli(['crawl', '--url', columnUrl, '--inline', '--log-format', 'json'], env);
  const lines = result.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  const crawl = lines.find((line) => line.stage === 'crawl');
  assert.ok(crawl, result.stderr);
  assert.equal(crawl.outcome, 'completed');
  assert.equal(crawl.source, '127-0-0-1');
  assert.equal(typeof crawl.ms, 'number');
  assert.equal(crawl.pagesRead, 1);
});

test('--quiet leaves out the per-job lines', async () => {
  const result = await runCli(['crawl', '--url', columnUrl, '--inline', '--quiet'], env);
  assert.doesNotMatch(result.stderr, /crawl completed/);
  assert.match(result.stdout, /run \S+: recorded/);
});

/** A new DuckDB file at `name`, held read-write by another process (as a long `yangguang sql` would) until killed. */
async function holdWarehouse(name: string): Promise<{ duckdbPath: string; holder: ChildProcess }> {
  const duckdbPath = path.join(dir, name);
  await withWarehouse(duckdbPath, async () => undefined);
  const script = path.join(dir, `hold-${name}.mts`);
  writeFileSync(
    script,
    `const { withWarehouse } = await import(${JSON.stringify(new URL('../load/warehouse.ts', import.meta.url).href)});
await withWarehouse(${JSON.stringify(duckdbPath)}, async () => { console.log('held'); await new Promise(() => setInterval(() => {}, 1000)); });`,
  );
  const holder = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve()));
  return { duckdbPath, holder };
}

/** Follows the run as `--wait` does, into a string instead of a terminal. */
function followRun(pipeline: Pipeline, runId: string): { said(): string; done: Promise<WaitResult> } {
  let said = '';
  const out = new PassThrough();
  out.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const done = waitForRun(pipeline, runId, { out: out as unknown as NodeJS.WriteStream, inline: true, pollMs: 50, plainEveryMs: 100 });
  return { said: () => said, done };
}

test('--wait says when the loader waits for the DuckDB file another process holds, and the run ends once it is free', async () => {
  const { duckdbPath, holder } = await holdWarehouse('held.duckdb');
  const fixture = await openTestPipeline('run-wait-held', { duckdbPath });
  const { pipeline } = fixture;
  fixture.startWorkers({ stages: ['load'] });
  try {
    // A run with nothing to crawl: its only job is the summary, which the loader must write.
    await enqueueJobs(pipeline, 'held-run', 'crawl', []);
    const run = followRun(pipeline, 'held-run');
    await waitFor(
      async () => /waiting for the DuckDB file: the loader has waited \d+ s with 1 job\(s\)/.test(run.said()),
      AbortSignal.timeout(60_000),
    );
    holder.kill('SIGKILL');
    assert.equal((await run.done).kind, 'recorded');
  } finally {
    holder.kill('SIGKILL');
    await fixture.close();
  }
});

test('a crawl job that must wait for the DuckDB file says so: in Redis, in --wait, in its BullMQ log and progress', async () => {
  const { duckdbPath, holder } = await holdWarehouse('held-by-reader.duckdb');
  const fixture = await openTestPipeline('run-wait-crawl-held', { duckdbPath, allowPrivateNetworks: true });
  const { pipeline } = fixture;
  const { queuePrefix } = fixture.config;
  fixture.startWorkers();
  try {
    const source = sourceFromUrl(columnUrl);
    const runId = await enqueueRun(pipeline, [source]);
    const run = followRun(pipeline, runId);
    const status = await waitFor(
      async () => (await warehouseWait(pipeline.redis, queuePrefix, 'crawl')) ?? undefined,
      AbortSignal.timeout(60_000),
    );
    assert.equal(status.jobs, 1);
    assert.match(status.reason, /cannot open DuckDB file .*held-by-reader\.duckdb read-only/);
    await waitFor(
      async () =>
        /waiting for the DuckDB file: the crawl stage has waited \d+ s with 1 job\(s\) \(cannot open DuckDB file/.test(run.said()),
      AbortSignal.timeout(60_000),
    );
    const crawlJob = jobId(runId, 'crawl', source.id);
    const logs = await waitFor(async () => {
      const { logs: lines } = await pipeline.queues.crawl.getJobLogs(crawlJob);
      return lines.some((line) => /crawl waiting for the DuckDB file/.test(line)) && lines;
    }, AbortSignal.timeout(60_000));
    assert.match(logs.join('\n'), /stage=crawl .*source=127-0-0-1 message=crawl waiting for the DuckDB file: cannot open/);
    const progress = (await pipeline.queues.crawl.getJob(crawlJob))!.progress as Record<string, unknown>;
    assert.match(String(progress.waitingFor), /the DuckDB file/);
    holder.kill('SIGKILL');
    assert.equal((await run.done).kind, 'recorded', 'the crawl goes on once the file is free');
    assert.equal(await warehouseWait(pipeline.redis, queuePrefix, 'crawl'), null, 'the status goes with the wait');
  } finally {
    holder.kill('SIGKILL');
    await fixture.close();
  }
});

test('`reprocess --wait` with nothing to do ends at once, without a worker, and exits 0', async () => {
  const duckdbPath = path.join(dir, 'empty.duckdb');
  await withWarehouse(duckdbPath, async () => undefined);
  const result = await runCli(['reprocess', '--stage', 'parse', '--wait'], {
    ...env,
    YANGGUANG_QUEUE_PREFIX: `${prefix}-nothing`,
    YANGGUANG_DUCKDB_PATH: duckdbPath,
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /run \S+: no document to parse again; nothing to do/);
});

test('the progress line names each stage, the reports loaded, the failures, the time and what the run waits for', () => {
  const state = {
    runId: 'r1',
    startedAt: '2026-12-06T00:00:00Z',
    finishedAt: null,
    status: 'running' as const,
    pending: 3,
    counts: { 'crawl:completed': 1, 'fetch:failed': 2, reports: 4 },
  };
  const stages = (['crawl', 'fetch', 'extract', 'parse', 'load'] as const).map((stage, index) => ({
    stage,
    done: index,
    queued: 5 - index,
  }));
  assert.equal(
    progressLine({ state, stages, waitingFor: null }, 12_300, 'a worker for fetch'),
    'run r1 · crawl 0/5 · fetch 1/4 · extract 2/3 · parse 3/2 · load 4/1 · 4 reports loaded · 2 failed · 12 s · waiting for a worker for fetch',
  );
});
