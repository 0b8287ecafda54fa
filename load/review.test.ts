/** Anomaly review decisions: recorded per document and anomaly, and kept when a new parser version re-loads it. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { extractDocument } from '../extract/index.ts';
import { renderStandaloneReport, type PlantedReportData } from '../simulator/index.ts';
import { parseReport } from '../transform/index.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { loadDocument } from './load-document.ts';
import { listAnomalies, reviewAnomaly } from './review.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
let file: string;
let planted: PlantedReportData[];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-review-'));
  file = path.join(dir, 'demo.duckdb');
  planted = await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const hongze = () => planted.find((report) => report.id === 'hongze-2023')!;

async function stateOf(issuer: string, anomalyId: string): Promise<unknown[][]> {
  const sql = `select review_state, review_note from anomaly_review where issuer = '${issuer}' and anomaly_id = '${anomalyId}'`;
  return (await runReadOnlySql(file, sql)).rows;
}

test('lists the planted identity failures as open, and a confirmed one leaves the open list', async () => {
  const open = await listAnomalies(file);
  const ids = open.rows.filter((row) => row[0] === hongze().issuer).map((row) => row[2]);
  for (const anomaly of hongze().anomalies) assert.ok(ids.includes(anomaly.id), anomaly.id);
  const document = String(open.rows.find((row) => row[0] === hongze().issuer)![8]);
  const anomalyId = hongze().anomalies[0]!.id;
  await reviewAnomaly(file, { sha256: document, anomalyId, state: 'confirmed', note: 'printed so in the source' });
  assert.deepEqual(await stateOf(hongze().issuer, anomalyId), [['confirmed', 'printed so in the source']]);
  const after = await listAnomalies(file);
  assert.equal(after.rows.length, open.rows.length - 1);
  assert.ok((await listAnomalies(file, { all: true })).rows.some((row) => row[2] === anomalyId && row[6] === 'confirmed'));
});

test('a decision survives re-processing the document with a new parser version', async () => {
  const report = hongze();
  const anomalyId = report.anomalies[1]!.id;
  const bytes = new TextEncoder().encode(renderStandaloneReport(report));
  const [[sha256]] = (await runReadOnlySql(file, `select sha256 from latest_reports where issuer = '${report.issuer}'`)).rows as [[string]];
  await reviewAnomaly(file, { sha256, anomalyId, state: 'dismissed' });
  const extracted = await extractDocument(bytes, { sha256, contentType: 'text/html; charset=utf-8', url: 'u', maxBytes: 1e7 });
  const parsed = { ...parseReport(extracted, { title: report.title, publishedAt: report.publishedAt }), parserVersion: 'parse-99' };
  const fetched = {
    sourceId: report.portalId,
    url: 'http://127.0.0.1/again',
    finalUrl: 'http://127.0.0.1/again',
    title: report.title,
    publishedAt: report.publishedAt,
    fetchedAt: '2026-01-01T00:00:00.000Z',
    status: 200,
    contentType: 'text/html',
    sha256,
    byteLength: bytes.byteLength,
    archivePath: `data/raw/${sha256}`,
    etag: null,
    lastModified: null,
  };
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, { fetched, extracted, parsed, runId: 'reparse' }));
  const [[parser]] = (await runReadOnlySql(file, `select parser_version from latest_reports where issuer = '${report.issuer}'`)).rows as [
    [string],
  ];
  assert.equal(parser, 'parse-99');
  assert.deepEqual(await stateOf(report.issuer, anomalyId), [['dismissed', null]]);
});

test('refuses to review an anomaly the document does not have', async () => {
  const [[sha256]] = (await runReadOnlySql(file, `select sha256 from latest_reports limit 1`)).rows as [[string]];
  await assert.rejects(reviewAnomaly(file, { sha256, anomalyId: 'no_such:thing', state: 'confirmed' }), { code: 'ANOMALY_NOT_FOUND' });
  await assert.rejects(reviewAnomaly(file, { sha256: 'abc', anomalyId: 'x', state: 'confirmed' }), { code: 'AMBIGUOUS_DOCUMENT' });
});
