/**
 * Real worker processes (`node bin/yangguang.mjs worker`) on real Redis: a job whose worker is SIGKILLed is picked
 * up by another worker process; SIGTERM lets a worker finish the job in hand before it exits.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DiscoveredDocument } from '../crawlers/types.ts';
import { jobId, type Pipeline } from './pipeline.ts';
import {
  killWorker,
  openWorkerProcessTest,
  waitFor,
  type HoldingServer,
  type WorkerProcess,
  type WorkerProcessTest,
} from './test-support.ts';

let fixture: WorkerProcessTest;
let pipeline: Pipeline;
let server: HoldingServer;
let startWorker: () => WorkerProcess;

before(async () => {
  fixture = await openWorkerProcessTest('workers', 'fetch');
  ({ pipeline, server, startWorker } = fixture);
});

after(() => fixture?.close());

/** Adds one fetch job for `name` on the holding server; resolves with its id. */
async function addFetchJob(runId: string, name: string): Promise<string> {
  const document: DiscoveredDocument = {
    sourceId: 'test',
    url: `${server.url}/${name}.html`,
    title: '2023年政府信息公开工作年度报告',
    kindHint: 'html',
    foundOn: `${server.url}/`,
    publishedAt: null,
  };
  const id = jobId(runId, 'fetch', name);
  await pipeline.tracker.begin(runId, new Date().toISOString());
  await pipeline.tracker.expect(runId, [id]);
  await pipeline.queues.fetch.add('fetch', { runId, document }, { jobId: id });
  return id;
}

const answer = (_request: unknown, response: import('node:http').ServerResponse) =>
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><p>报告</p></body></html>');

test('a job whose worker process was SIGKILLed is picked up again by another worker process', async () => {
  const signal = AbortSignal.timeout(80_000);
  const id = await addFetchJob('kill', 'held');
  const first = startWorker();
  await waitFor(async () => server.requests() >= 1, signal);
  const firstOwner = (await pipeline.queues.fetch.getJob(id))?.processedBy ?? '';
  assert.match(firstOwner, new RegExp(`:${first.child.pid}$`));

  const second = startWorker();
  await waitFor(async () => /worker: fetch on/.test(second.output()), signal);
  const killedAt = Date.now();
  await killWorker(first, 'SIGKILL');
  await waitFor(async () => server.requests() >= 2, signal);
  console.log(`# picked up ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL`);
  server.release(answer);
  const state = await waitFor(async () => {
    const current = await pipeline.queues.fetch.getJobState(id);
    return current === 'completed' || current === 'failed' ? current : undefined;
  }, signal);
  assert.equal(state, 'completed');
  assert.match((await pipeline.queues.fetch.getJob(id))?.processedBy ?? '', new RegExp(`:${second.child.pid}$`));
  await killWorker(second, 'SIGTERM');
});

test('SIGTERM lets a worker finish the job in hand, then it exits 0', async () => {
  const signal = AbortSignal.timeout(60_000);
  const before = server.requests();
  server.release(() => {}); // hold again: responses are sent by hand below
  const held: import('node:http').ServerResponse[] = [];
  server.release((_request, response) => held.push(response));
  const id = await addFetchJob('term', 'graceful');
  const worker = startWorker();
  await waitFor(async () => server.requests() > before, signal);
  worker.child.kill('SIGTERM');
  await waitFor(async () => /finishing the jobs in hand/.test(worker.output()), signal);
  for (const response of held) answer(null, response);
  assert.equal(await worker.exited, 0, worker.output());
  assert.equal(await pipeline.queues.fetch.getJobState(id), 'completed');
});
