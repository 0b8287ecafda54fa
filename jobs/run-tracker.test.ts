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

test('a run finishes exactly when its last outstanding job settles, and only one settler sees it', async () => {
  const tracker = new RunTracker(redis, prefix);
  await tracker.begin('r1', '2026-11-22T00:00:00Z');
  await tracker.expect('r1', 3);
  assert.equal(await tracker.settle('r1', 'crawl', 'completed'), false);
  await tracker.expect('r1', 1);
  const last = await Promise.all([
    tracker.settle('r1', 'fetch', 'completed'),
    tracker.settle('r1', 'fetch', 'failed'),
    tracker.settle('r1', 'fetch', 'completed'),
  ]);
  assert.deepEqual(last.filter(Boolean).length, 1);
  const state = await tracker.state('r1');
  assert.equal(state.status, 'finished');
  assert.equal(state.pending, 0);
  assert.equal(state.counts['fetch:completed'], 2);
  assert.equal(state.counts['fetch:failed'], 1);
  assert.equal(await tracker.lastRunId(), 'r1');
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
