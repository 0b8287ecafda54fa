/** Cancelling a run with real BullMQ queues on the real Redis: its jobs not started leave the queues and the run ends. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cancelRun, enqueueRun, type Pipeline } from './pipeline.ts';
import { openTestPipeline, type TestPipeline } from './test-support.ts';

let fixture: TestPipeline;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('cancel');
  ({ pipeline } = fixture);
});

after(() => fixture?.close());

const source = (n: number) => ({
  id: `county-${n}`,
  name: `县${n}`,
  startUrls: [`http://127.0.0.1:9/${n}/`],
  allowedHosts: ['127.0.0.1:9'],
});

test('cancel removes the waiting jobs, counts them cancelled, and queues the run summary', async () => {
  const runId = await enqueueRun(pipeline, [source(1), source(2), source(3)]);
  assert.equal(await pipeline.queues.crawl.getWaitingCount(), 3);
  assert.equal(await cancelRun(pipeline, runId), 3);
  assert.equal(await pipeline.queues.crawl.getWaitingCount(), 0);
  const state = await pipeline.tracker.state(runId);
  assert.equal(state.counts['crawl:cancelled'], 3);
  assert.equal(state.pending, 0);
  assert.ok(state.cancelledAt);
  assert.equal(await pipeline.tracker.isCancelled(runId), true);
  const summaries = await pipeline.queues.load.getJobs(['waiting', 'prioritized']);
  assert.ok(
    summaries.some((job) => job.id?.startsWith(`${runId}.load.`)),
    'the summary job is queued for the loader',
  );
});

test('cancelling a run Redis does not know answers null and removes nothing', async () => {
  const other = await enqueueRun(pipeline, [source(4)]);
  assert.equal(await cancelRun(pipeline, 'no-such-run'), null);
  assert.equal((await pipeline.tracker.state(other)).counts['crawl:cancelled'], undefined);
  assert.equal(await pipeline.queues.crawl.getWaitingCount(), 1);
});
