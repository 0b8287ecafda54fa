import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { recordDisappearances, recordReappearances, type DocumentNotice } from './disappearances.ts';
import { assessSourceHealth } from '../ledger/source-health.ts';
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
  const notice = (runId: string, noticedAt: string): DocumentNotice => ({ url, sourceId: 'demo-xian', runId, noticedAt });
  const first = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-1', '2024-03-01T02:00:00Z')]));
  const again = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-1', '2024-03-01T02:00:00Z')]));
  const later = await withWarehouse(file, (warehouse) => recordDisappearances(warehouse, [notice('run-2', '2024-03-02T02:00:00Z')]));
  assert.deepEqual([first, again, later], [1, 0, 1]);
  const { rows } = await runReadOnlySql(file, 'select url, run_id, notices, is_report from vanished_reports');
  assert.deepEqual(
    rows.map((row) => [row[0], row[1], Number(row[2]), row[3]]),
    [[url, 'run-2', 2, null]],
  );
});

test('recordReappearances records only URLs that vanished earlier, once; vanished_reports leaves them out until they vanish again', async () => {
  const file = path.join(dir, 'returned.duckdb');
  const withdrawn = 'https://www.demo-xian.gov.cn/zfxxgknb/t20240115_2.html';
  const published = 'https://www.demo-xian.gov.cn/zfxxgknb/t20240301_3.html';
  const notice = (url: string, runId: string, noticedAt: string, sourceId = 'demo-xian'): DocumentNotice => ({
    url,
    sourceId,
    runId,
    noticedAt,
  });
  const vanish = (notices: DocumentNotice[]) => withWarehouse(file, (warehouse) => recordDisappearances(warehouse, notices));
  const comeBack = (notices: DocumentNotice[]) => withWarehouse(file, (warehouse) => recordReappearances(warehouse, notices));
  const listed = async () => (await runReadOnlySql(file, 'select url, run_id from vanished_reports')).rows;

  await vanish([notice(withdrawn, 'run-1', '2024-03-01T02:00:00Z')]);
  assert.deepEqual(await listed(), [[withdrawn, 'run-1']]);
  // A merely new URL, the same URL on another source, and a "return" noticed before the disappearance are left out.
  const returns = [
    notice(withdrawn, 'run-2', '2024-03-02T02:00:00Z'),
    notice(published, 'run-2', '2024-03-02T02:00:00Z'),
    notice(withdrawn, 'run-2', '2024-03-02T02:00:00Z', 'demo-other'),
    notice(withdrawn, 'run-0', '2024-02-28T02:00:00Z'),
  ];
  assert.equal(await comeBack(returns), 1);
  assert.equal(await comeBack(returns), 0, 'recording the run again adds nothing');
  const { rows } = await runReadOnlySql(file, 'select url, source_id, run_id from document_reappearances');
  assert.deepEqual(rows, [[withdrawn, 'demo-xian', 'run-2']]);
  assert.deepEqual(await listed(), [], 'a returned URL is no longer listed as vanished');

  await vanish([notice(withdrawn, 'run-3', '2024-03-03T02:00:00Z')]);
  assert.deepEqual(await listed(), [[withdrawn, 'run-3']], 'vanished again after its return: listed again');
});

test('assessSourceHealth flags no reports and a fall below half of the previous run, and notes vanished documents', () => {
  const previous = { runId: 'run-1', reportsFound: 10, pagesFetched: 5 };
  assert.deepEqual(assessSourceHealth({ reportsFound: 0, disappeared: 0 }, null), { flagged: true, note: 'no reports found' });
  assert.deepEqual(assessSourceHealth({ reportsFound: 0, disappeared: 10 }, previous), {
    flagged: true,
    note: 'no reports found (previous run: 10); 10 documents no longer listed',
  });
  assert.deepEqual(assessSourceHealth({ reportsFound: 4, disappeared: 0 }, previous), {
    flagged: true,
    note: 'reports found fell from 10 to 4',
  });
  assert.deepEqual(assessSourceHealth({ reportsFound: 5, disappeared: 0 }, previous), { flagged: false, note: null });
  assert.deepEqual(assessSourceHealth({ reportsFound: 9, disappeared: 1 }, previous), {
    flagged: false,
    note: '1 document no longer listed',
  });
});
