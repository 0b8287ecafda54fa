import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RUN_COUNTER, failedJobs, healthNotJudged, runStatus, sourceCounter, sourceCountsOf } from './run-counters.ts';

test("sourceCountsOf reads each source's counters back, zero where a counter was never added to", () => {
  const counts = {
    [sourceCounter('gov-320804', 'pages')]: 12,
    [sourceCounter('gov-320804', 'reports')]: 3,
    [sourceCounter('demo_xian-2', 'disappeared')]: 1,
    'fetch:completed': 9,
    [RUN_COUNTER.reports]: 3,
  };
  const sources = sourceCountsOf(counts);
  assert.deepEqual([...sources.keys()], ['gov-320804', 'demo_xian-2']);
  assert.deepEqual(sources.get('gov-320804'), {
    pages: 12,
    discovered: 0,
    errors: 0,
    blocked: 0,
    disappeared: 0,
    unchanged: 0,
    reports: 3,
    new: 0,
    changed: 0,
  });
  assert.equal(sources.get('demo_xian-2')!.disappeared, 1);
});

test('a run with a failed job in any stage finishes with failures; a cancelled one is cancelled whatever failed', () => {
  assert.equal(failedJobs({ 'fetch:failed': 2, 'load:failed': 1, 'fetch:completed': 5 }), 3);
  assert.equal(runStatus({ 'crawl:completed': 1 }, false), 'finished');
  assert.equal(runStatus({ 'fetch:failed': 1 }, false), 'finished_with_failures');
  assert.equal(runStatus({ 'fetch:failed': 1 }, true), 'cancelled');
});

test("a filtered run's source health is not judged", () => {
  assert.match(healthNotJudged({ [RUN_COUNTER.filtered]: 1 }) ?? '', /filtered crawl/);
  assert.equal(healthNotJudged({}), null);
});
