/** A job's end goes to the process's log and to the job's own BullMQ log and progress (what bull-board shows). */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { Queue } from 'bullmq';
import { configureLogger } from '../shared/logger.ts';
import { jobActivity, progressOf, reportJob, subjectOf } from './job-log.ts';
import { deleteKeys } from './test-support.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `yg-test-job-log-${process.pid}`;
const queue = new Queue('parse', { connection: { url: REDIS_URL }, prefix });
after(async () => {
  await queue.close();
  await deleteKeys(REDIS_URL, `${prefix}:*`);
});

test("a finished job's line is logged, kept in its BullMQ log, and its figures become its progress", async () => {
  const lines: string[] = [];
  configureLogger({ format: 'json', write: (line) => lines.push(line) });
  const job = await queue.add('parse', { runId: 'r1', fetched: { url: 'http://gov.example/nb.pdf', sourceId: 'demo-xian' } });
  await reportJob(job, 'parse', { outcome: 'completed', ms: 41.6, result: { isReport: true, cells: 212, anomalies: 1 } });
  const record = JSON.parse(lines[0]!) as Record<string, unknown>;
  assert.deepEqual(
    {
      stage: record.stage,
      source: record.source,
      document: record.document,
      outcome: record.outcome,
      ms: record.ms,
      cellsFound: record.cellsFound,
    },
    { stage: 'parse', source: 'demo-xian', document: 'http://gov.example/nb.pdf', outcome: 'completed', ms: 42, cellsFound: 212 },
  );
  const { logs } = await queue.getJobLogs(job.id!);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /stage=parse .*source=demo-xian .*outcome=completed ms=42 cellsFound=212 anomalies=1/);
  assert.deepEqual((await queue.getJob(job.id!))!.progress, { cellsFound: 212, anomalies: 1 });
});

test('a failure is logged as an error with its code and reason', async () => {
  const lines: string[] = [];
  configureLogger({ format: 'pretty', write: (line) => lines.push(line) });
  const job = await queue.add('parse', { runId: 'r1', source: { id: 'gov-320803' } });
  await reportJob(job, 'crawl', { outcome: 'failed', ms: 5, code: 'NETWORK', reason: 'connection refused' });
  assert.match(
    lines[0]!,
    /^\d\d:\d\d:\d\d ERROR crawl failed stage=crawl job=\S+ source=gov-320803 outcome=failed ms=5 code=NETWORK reason=connection refused\n$/,
  );
});

test('subjects and progress are read from each stage’s payload', () => {
  assert.deepEqual(subjectOf({ data: { source: { id: 's1' } } }), { source: 's1' });
  assert.deepEqual(subjectOf({ data: { document: { sourceId: 's2', url: 'http://a/b' } } }), { source: 's2', document: 'http://a/b' });
  assert.deepEqual(progressOf({ pagesFetched: 7, discovered: 3, errors: [] }), { pagesRead: 7, documentsFound: 3 });
  assert.deepEqual(progressOf(undefined), {});
});

test("a running job's figures become its progress at most once per interval, in order, and nothing after its end", async () => {
  configureLogger({ format: 'json', write: () => undefined });
  const job = await queue.add('crawl', { runId: 'r1', source: { id: 'gov-320803' } });
  const activity = jobActivity(job, 'crawl', 60_000);
  activity.progress({ pagesRead: 1, listPages: 1 });
  activity.progress({ pagesRead: 2, listPages: 1 }); // within the interval: dropped
  activity.log('crawl waiting for the DuckDB file: locked');
  await activity.end();
  activity.progress({ pagesRead: 3, listPages: 2 }); // after its end: dropped
  activity.log('too late');
  await activity.end();
  assert.deepEqual((await queue.getJob(job.id!))!.progress, { pagesRead: 1, listPages: 1 });
  const { logs } = await queue.getJobLogs(job.id!);
  assert.equal(logs.length, 2);
  assert.match(logs[0]!, /stage=crawl .*source=gov-320803 outcome=running pagesRead=1 listPages=1$/);
  assert.match(logs[1]!, /stage=crawl .*source=gov-320803 message=crawl waiting for the DuckDB file: locked$/);
});
