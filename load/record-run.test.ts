import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { recordFailure, recordRun, type FailureRecord, type RunRecord } from './record-run.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('recordFailure keeps the failed job with its code and reason, unresolved', async () => {
  const file = path.join(dir, 'failures.duckdb');
  const failure: FailureRecord = {
    runId: 'run-7',
    stage: 'extract',
    url: 'https://www.demo-xian.gov.cn/zfxxgknb/locked.pdf',
    sha256: 'ab'.repeat(32),
    sourceId: 'demo-xian',
    code: 'PDF_ENCRYPTED',
    reason: 'the PDF is encrypted, with "owner" password',
  };
  await withWarehouse(file, (warehouse) => recordFailure(warehouse, failure));
  const result = await runReadOnlySql(
    file,
    'select run_id, stage, source_id, code, reason, url, sha256, resolved, failed_at is not null from failures',
  );
  assert.deepEqual(result.rows, [
    [failure.runId, failure.stage, failure.sourceId, failure.code, failure.reason, failure.url, failure.sha256, false, true],
  ]);
});

function sampleRun(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: 'run-2026-11-22',
    startedAt: '2026-11-22T08:00:00.000Z',
    finishedAt: '2026-11-22T08:05:30.000Z',
    status: 'finished',
    summary: { 'fetch:completed': 12, reports: 9 },
    health: [
      {
        sourceId: 'demo-a',
        pagesFetched: 4,
        reportsFound: 3,
        newDocuments: 3,
        changed: 0,
        blocked: 0,
        errors: 0,
        flagged: false,
        note: null,
      },
      {
        sourceId: 'demo-b',
        pagesFetched: 1,
        reportsFound: 0,
        newDocuments: 0,
        changed: 0,
        blocked: 2,
        errors: 1,
        flagged: true,
        note: 'no reports found',
      },
    ],
    ...overrides,
  };
}

test('recordRun stores the run with its summary as JSON and one health row per source; recording it again replaces it', async () => {
  const file = path.join(dir, 'runs.duckdb');
  const run = sampleRun();
  await withWarehouse(file, (warehouse) => recordRun(warehouse, run));
  await withWarehouse(file, (warehouse) => recordRun(warehouse, run));
  const runs = await runReadOnlySql(file, 'select run_id, status, started_at, finished_at, summary from crawl_runs');
  assert.deepEqual(runs.rows, [[run.runId, run.status, run.startedAt, run.finishedAt, run.summary]]);
  const health = await runReadOnlySql(
    file,
    `select source_id, pages_fetched, reports_found, new_documents, changed, blocked, errors, flagged, note
       from source_health where run_id = '${run.runId}' order by source_id`,
  );
  assert.deepEqual(
    health.rows,
    run.health.map((h) => [h.sourceId, h.pagesFetched, h.reportsFound, h.newDocuments, h.changed, h.blocked, h.errors, h.flagged, h.note]),
  );

  const rerecorded = sampleRun({ status: 'finished_with_failures', health: run.health.slice(0, 1) });
  await withWarehouse(file, (warehouse) => recordRun(warehouse, rerecorded));
  const after = await runReadOnlySql(file, `select (select status from crawl_runs), (select count(*) from source_health)`);
  assert.deepEqual(after.rows, [['finished_with_failures', 1]]);
});
