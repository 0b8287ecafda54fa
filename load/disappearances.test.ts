import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { recordDisappearances, type Disappearance } from './disappearances.ts';
import { assessSourceHealth } from './source-health-flag.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-vanished-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('recordDisappearances records each notice once, and vanished_reports lists each URL with its latest notice', async () => {
  const file = path.join(dir, 'vanished.duckdb');
  const url = 'https://www.demo-xian.gov.cn/zfxxgknb/t20240115_1.html';
  const notice = (runId: string, noticedAt: string): Disappearance => ({ url, sourceId: 'demo-xian', runId, noticedAt });
  const first = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-1', '2024-03-01T02:00:00Z')]));
  const again = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-1', '2024-03-01T02:00:00Z')]));
  const later = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-2', '2024-03-02T02:00:00Z')]));
  assert.deepEqual([first, again, later], [1, 0, 1]);
  const { rows } = await runReadOnlySql(file, 'select url, run_id, notices, is_report from vanished_reports');
  assert.deepEqual(rows.map((row) => [row[0], row[1], Number(row[2]), row[3]]), [[url, 'run-2', 2, null]]);
});

test('assessSourceHealth flags no reports and a fall below half of the previous run, and notes vanished documents', () => {
  const previous = { runId: 'run-1', reportsFound: 10, pagesFetched: 5 };
  assert.deepEqual(assessSourceHealth({ reportsFound: 0, disappeared: 0 }, null), { flagged: true, note: 'no reports found' });
  assert.deepEqual(assessSourceHealth({ reportsFound: 0, disappeared: 10 }, previous), {
    flagged: true,
    note: 'no reports found (previous run: 10); 10 documents no longer listed',
  });
  assert.deepEqual(assessSourceHealth({ reportsFound: 4, disappeared: 0 }, previous), { flagged: true, note: 'reports found fell from 10 to 4' });
  assert.deepEqual(assessSourceHealth({ reportsFound: 5, disappeared: 0 }, previous), { flagged: false, note: null });
  assert.deepEqual(assessSourceHealth({ reportsFound: 9, disappeared: 1 }, previous), { flagged: false, note: '1 document no longer listed' });
});
