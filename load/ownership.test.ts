/**
 * Report ownership: the source that speaks for an issuer's region (the catalog's gov-<code> portal) is believed over
 * any other, and every other document of the same issuer and year whose figures differ is kept and queued for review.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sampleCells, sampleInput } from './fixtures/documents.ts';
import { loadDocument } from './load-document.ts';
import { reviewAnomaly } from './review.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';
import type { LoadDocumentInput } from './load-document.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-ownership-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The sample report (示例县, region 620721) as served by `sourceId`. */
function servedBy(sourceId: string, input: LoadDocumentInput): LoadDocumentInput {
  return {
    ...input,
    fetched: {
      ...input.fetched,
      sourceId,
      url: `https://${sourceId}.example/${input.fetched.sha256}.html`,
      finalUrl: `https://${sourceId}.example/${input.fetched.sha256}.html`,
    },
  };
}

/** A copy whose number cells hold letters: the parser reads every figure as blank. */
function lettered(name: string, publishedAt: string) {
  return sampleInput({ name, publishedAt, cells: sampleCells().map((cell) => ({ ...cell, value: null })) });
}

async function load(file: string, input: LoadDocumentInput): Promise<void> {
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
}

test('a later copy with letters for figures, from a source that does not speak for the issuer, does not take over its row', async () => {
  const file = path.join(dir, 'copy.duckdb');
  const owner = servedBy('gov-620721', sampleInput({ name: 'owner', publishedAt: '2023-01-20' }));
  const copy = servedBy('mirror-elsewhere', lettered('copy', '2023-06-01'));
  await load(file, owner);
  await load(file, copy);

  const summary = await runReadOnlySql(file, 'select issuer, year, new_requests, granted, sha256, anomalies from report_summary');
  assert.deepEqual(
    summary.rows,
    [['示例县人民政府办公室', 2022, 12, 6, owner.fetched.sha256, 2]],
    "the owner's figures, its one anomaly plus the conflict",
  );
  const conflicts = await runReadOnlySql(
    file,
    `select c.kind, anomaly_id, c.expected, c.found, c.differing, c.other_sha256, c.other_source_id, r.review_state
      from anomaly_review r join report_conflicts c using (anomaly_id, sha256)`,
  );
  const id = `ownership_conflict:${copy.fetched.sha256.slice(0, 12)}`;
  assert.deepEqual(
    conflicts.rows,
    [['ownership_conflict', id, 2, null, 14, copy.fetched.sha256, 'mirror-elsewhere', 'open']],
    'first differing key: t3.carried_over.total; 14 of 16 figures (two are blank in both)',
  );
  const kept = await runReadOnlySql(file, `select count(*) from reports where sha256 = '${copy.fetched.sha256}'`);
  assert.deepEqual(kept.rows, [[1]], 'the copy is kept');

  await reviewAnomaly(file, { sha256: owner.fetched.sha256.slice(0, 12), anomalyId: id, state: 'dismissed', note: 'a mirror' });
  const reviewed = await runReadOnlySql(file, `select review_state, review_note from anomaly_review where anomaly_id = '${id}'`);
  assert.deepEqual(reviewed.rows, [['dismissed', 'a mirror']]);
});

test("the owner's own later revision with other figures is believed, and the change is queued for review", async () => {
  const file = path.join(dir, 'revision.duckdb');
  const first = servedBy('gov-620721', sampleInput({ name: 'first', publishedAt: '2023-01-20' }));
  const cells = sampleCells().map((cell) => (cell.key === 't3.granted.total' ? { ...cell, value: 5 } : cell));
  const revision = servedBy('gov-620721', sampleInput({ name: 'revision', publishedAt: '2023-03-01', cells }));
  await load(file, first);
  await load(file, revision);
  const summary = await runReadOnlySql(file, 'select granted, sha256 from report_summary');
  assert.deepEqual(summary.rows, [[5, revision.fetched.sha256]]);
  const conflicts = await runReadOnlySql(file, 'select kind, expected, found, differing, other_sha256 from report_conflicts');
  assert.deepEqual(conflicts.rows, [['conflicting_report', 5, 6, 1, first.fetched.sha256]]);
});

test('a copy with the same figures from another portal is no conflict, and the owner stays believed', async () => {
  const file = path.join(dir, 'mirror.duckdb');
  const owner = servedBy('gov-620721', sampleInput({ name: 'owner-pdf', format: 'pdf', publishedAt: '2023-01-20' }));
  const mirror = servedBy('gov-620700', sampleInput({ name: 'mirror-html', publishedAt: '2023-02-01' }));
  await load(file, owner);
  await load(file, mirror);
  assert.deepEqual((await runReadOnlySql(file, 'select sha256 from latest_reports')).rows, [[owner.fetched.sha256]]);
  assert.deepEqual((await runReadOnlySql(file, 'select count(*) from report_conflicts')).rows, [[0]]);
});
