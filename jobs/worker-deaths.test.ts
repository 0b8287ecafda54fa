/**
 * A job that keeps killing its worker process (here: killed by hand each time it is picked up) is failed after
 * WORKER_DEATHS_LIMIT deaths with code WORKER_DIED, recorded in DuckDB's failures, and its run still finishes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Config } from '../config/config.ts';
import { runReadOnlySql } from '../load/index.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';
import { WORKER_DEATHS_LIMIT, jobId, type Pipeline } from './pipeline.ts';
import {
  killWorker,
  openWorkerProcessTest,
  waitFor,
  type HoldingServer,
  type WorkerProcess,
  type WorkerProcessTest,
} from './test-support.ts';

let fixture: WorkerProcessTest;
let config: Config;
let pipeline: Pipeline;
let server: HoldingServer;
let workers: WorkerProcess[];
let startWorker: () => WorkerProcess;

before(async () => {
  fixture = await openWorkerProcessTest('deaths', 'fetch,load');
  ({ config, pipeline, server, workers, startWorker } = fixture);
});

after(() => fixture?.close());

test(`a job whose worker dies ${WORKER_DEATHS_LIMIT} times fails as WORKER_DIED and is recorded`, async () => {
  const signal = AbortSignal.timeout(85_000);
  const runId = 'deaths';
  const url = `${server.url}/crash.pdf`;
  const id = jobId(runId, 'fetch', 'crash');
  await pipeline.tracker.begin(runId, new Date().toISOString());
  await pipeline.tracker.expect(runId, [id]);
  const document = { sourceId: 'test', url, title: '2023年年报', kindHint: 'pdf', foundOn: server.url, publishedAt: null };
  await pipeline.queues.fetch.add('fetch', { runId, document }, { jobId: id });

  startWorker();
  for (let death = 1; death <= WORKER_DEATHS_LIMIT; death += 1) {
    await waitFor(async () => server.requests() >= death, signal);
    const owner = Number((await pipeline.queues.fetch.getJob(id))?.processedBy?.split(':').pop());
    const victim = workers.find((worker) => worker.child.pid === owner);
    assert.ok(victim, `death ${death}: the job is held by one of our workers`);
    startWorker(); // the next one to pick it up
    await killWorker(victim, 'SIGKILL');
  }
  const state = await pipeline.tracker.waitUntilRecorded(runId, { signal });
  assert.equal(await pipeline.queues.fetch.getJobState(id), 'failed');
  assert.equal(state.counts['failures:WORKER_DIED'], 1);
  assert.equal(server.requests(), WORKER_DEATHS_LIMIT, 'the sixth pickup fails the job without running it');
  const rows = (await retryWhileLocked(() => runReadOnlySql(config.duckdbPath, 'select code, url from failures'))).rows;
  assert.deepEqual(rows, [['WORKER_DIED', url]]);
});
