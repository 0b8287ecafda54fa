/**
 * A scanned report in the warehouse: a real page image (a committed demo scan) through the real extract (OCR),
 * parse and load into a real DuckDB file — each OCRed figure keeps its page, box and confidence (doc_cell_ocr,
 * traced_cells), and the figures are the planted ones.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { extractDocument } from '../extract/extract-document.ts';
import type { FetchedDocument } from '../shared/document.ts';
import { loadScannedReports } from '../simulator/planted-data.ts';
import { scanPageFiles, SCANS_DIR } from '../simulator/scan-publications.ts';
import { parseReport } from '../transform/parse-report.ts';
import { loadDocument } from './load-document.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-ocr-load-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

test('an image document loaded: its figures have their page, box and confidence in DuckDB', async () => {
  const report = loadScannedReports().find((candidate) => candidate.published === 'scan-images')!;
  const name = scanPageFiles(report.id)[0]!;
  const bytes = await readFile(new URL(name, SCANS_DIR));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const url = `https://www.example.gov.cn/nb/${name}`;
  const extracted = await extractDocument(bytes, { sha256, contentType: 'image/jpeg', url, maxBytes: 10 * 1024 * 1024 });
  const parsed = parseReport(extracted, { url, title: report.title, publishedAt: report.publishedAt });
  const fetched: FetchedDocument = {
    sourceId: 'demo-scan',
    url,
    finalUrl: url,
    title: report.title,
    publishedAt: report.publishedAt,
    fetchedAt: '2026-12-06T08:00:00.000Z',
    status: 200,
    contentType: 'image/jpeg',
    sha256,
    byteLength: bytes.byteLength,
    archivePath: path.join(dir, sha256),
    etag: null,
    lastModified: null,
  };
  const file = path.join(dir, 'ocr.duckdb');
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, { fetched, extracted, parsed, runId: 'run-ocr' }));

  const ocrRows = await runReadOnlySql(file, `select count(*), min(page), max(page), min(confidence), max(confidence) from doc_cell_ocr`);
  const [count, firstPage, lastPage, lowest, highest] = ocrRows.rows[0]!.map(Number);
  assert.ok(count! > 20, `cells of the scanned tables have OCR rows (${count})`);
  assert.deepEqual([firstPage, lastPage], [1, 1]);
  assert.ok(lowest! >= 0 && highest! <= 100, `confidences within 0-100 (${lowest}..${highest})`);

  const traced = await runReadOnlySql(
    file,
    `select key, value, page, ocr_confidence, ocr_box_x, ocr_box_y, ocr_box_width, ocr_box_height
       from traced_cells where table_index is not null order by key`,
  );
  assert.ok(traced.rows.length >= 10, `figures read from the scanned table (${traced.rows.length})`);
  for (const [key, value, page, confidence, x, y, width, height] of traced.rows) {
    assert.equal(Number(page), 1, `${key}: page`);
    assert.ok(confidence !== null && Number(confidence) >= 0, `${key}: has a confidence`);
    // A box on an A4 page (595 × 842 pt), of a table cell's size.
    assert.ok(
      Number(x) >= 0 && Number(y) >= 0 && Number(x) + Number(width) <= 600 && Number(y) + Number(height) <= 850,
      `${key}: box on the page`,
    );
    assert.ok(Number(width) > 5 && Number(height) > 5, `${key}: box of a cell`);
    assert.equal(value === null ? null : Number(value), report.cells[String(key)], `${key}: the planted figure`);
  }
});
