import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Redis } from 'ioredis';
import { RunTracker } from './run-tracker.ts';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `yg-test-tracker-${process.pid}-${Date.now()}`;

after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

test('a run finishes exactly when its last outstanding job settles', async () => {
  const tracker = new RunTracker(redis, prefix);
  await tracker.begin('r1', '2026-11-22T00:00:00Z');
  await tracker.expect('r1', ['c1', 'f1', 'f2']);
  assert.equal(await tracker.settle('r1', 'c1', 'crawl', 'completed'), null);
  await tracker.expect('r1', ['f3']);
  const last = await Promise.all([
    tracker.settle('r1', 'f1', 'fetch', 'completed'),
    tracker.settle('r1', 'f2', 'fetch', 'failed'),
    tracker.settle('r1', 'f3', 'fetch', 'completed'),
  ]);
  assert.deepEqual(
    last.filter((recording) => recording !== null),
    [1],
  );
  const state = await tracker.state('r1');
  assert.equal(state.status, 'finished');
  assert.equal(state.pending, 0);
  assert.equal(state.counts['fetch:completed'], 2);
  assert.equal(state.counts['fetch:failed'], 1);
  assert.equal(await tracker.lastRunId(), 'r1');
});

test('re-running a job (a killed worker, a retry) never counts it twice', async () => {
  const tracker = new RunTracker(redis, prefix);
  await tracker.begin('r3', '2026-11-22T00:00:00Z');
  await tracker.expect('r3', ['a', 'b']);
  await tracker.expect('r3', ['a', 'b']); // the job that added them ran again
  assert.equal(await tracker.settle('r3', 'a', 'fetch', 'completed'), null);
  assert.equal(await tracker.settle('r3', 'a', 'fetch', 'completed'), null);
  assert.equal((await tracker.state('r3')).pending, 1);
  // The last settler was killed before it queued the summary: its re-run is told again.
  assert.equal(await tracker.settle('r3', 'b', 'fetch', 'failed'), 1);
  assert.equal(await tracker.settle('r3', 'b', 'fetch', 'failed'), 1);
  await tracker.markRecorded('r3', 1);
  assert.equal(await tracker.settle('r3', 'b', 'fetch', 'failed'), null);
  const state = await tracker.state('r3');
  assert.equal(state.counts['fetch:completed'], 1);
  assert.equal(state.counts['fetch:failed'], 1);
  assert.equal(state.status, 'recorded');
});

test('a failed job retried later re-opens its run, which is then summarised again', async () => {
  const tracker = new RunTracker(redis, prefix);
  await tracker.begin('r4', '2026-11-22T00:00:00Z');
  await tracker.expect('r4', ['fetch1']);
  assert.equal(await tracker.settle('r4', 'fetch1', 'fetch', 'failed'), 1);
  await tracker.markRecorded('r4', 1);
  // Retried from the UI: it succeeds and adds its next job.
  await tracker.expect('r4', ['extract1']);
  assert.equal((await tracker.state('r4')).status, 'running');
  assert.equal(await tracker.settle('r4', 'fetch1', 'fetch', 'completed'), null);
  await tracker.markRecorded('r4', 1); // a stale summary job of the first recording changes nothing
  assert.equal((await tracker.state('r4')).status, 'running');
  assert.equal(await tracker.settle('r4', 'extract1', 'extract', 'completed'), 2);
  const state = await tracker.state('r4');
  assert.equal(state.counts['fetch:completed'], 1);
  assert.equal(state.counts['fetch:failed'], 0);
  assert.equal(state.status, 'finished');
});

test('waitUntilRecorded resolves once the summary is marked recorded', async () => {
  const tracker = new RunTracker(redis, prefix);
  await tracker.begin('r2', '2026-11-22T00:00:00Z');
  await tracker.add('r2', 'source:a:pages', 4);
  setTimeout(() => void tracker.markRecorded('r2'), 50);
  const state = await tracker.waitUntilRecorded('r2', { pollMs: 10, signal: AbortSignal.timeout(10_000) });
  assert.equal(state.status, 'recorded');
  assert.equal(state.counts['source:a:pages'], 4);
});

test('recentRunIds lists the runs begun, newest first, and forgets those whose keys expired', async () => {
  const tracker = new RunTracker(redis, `${prefix}:recent`);
  await tracker.begin('older', '2026-11-20T00:00:00Z');
  await tracker.begin('newer', '2026-11-21T00:00:00Z');
  await tracker.begin('gone', '2026-11-22T00:00:00Z');
  await tracker.begin('older', '2026-11-23T00:00:00Z'); // begun again (a re-run job): keeps its first start
  assert.deepEqual(await tracker.recentRunIds(), ['gone', 'newer', 'older']);
  await redis.del(`${prefix}:recent:run:gone`); // as its TTL would
  assert.deepEqual(await tracker.recentRunIds(), ['newer', 'older']);
  assert.deepEqual(await redis.zrange(`${prefix}:recent:runs`, '0', '-1'), ['older', 'newer'], 'pruned from the index too');
  assert.deepEqual(await tracker.recentRunIds(1), ['newer']);
});
