import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { buildMinimalPdf } from '../extract/fixtures/minimal-pdf.ts';
import { extractPdf } from '../extract/pdf.ts';
import { sampleCells, sampleInput } from './fixtures/documents.ts';
import { loadDocument, reportIdOf } from './load-document.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TABLES = ['documents', 'document_sightings', 'reports', 'report_cells', 'anomalies'] as const;

async function rowCounts(file: string): Promise<Record<string, number>> {
  const sql = TABLES.map((table) => `select '${table}' as t, count(*) as n from ${table}`).join(' union all ');
  const result = await runReadOnlySql(file, sql);
  return Object.fromEntries(result.rows.map(([table, count]) => [table as string, count as number]));
}

test('loads a report with its document, sighting, cells (blank ones as NULL) and anomalies, with provenance', async () => {
  const file = path.join(dir, 'load.duckdb');
  const input = sampleInput({ name: 'report-a' });
  const outcome = await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
  assert.deepEqual(outcome, {
    loaded: true,
    reportId: reportIdOf(input.parsed),
    cells: input.parsed.cells.length,
    anomalies: input.parsed.anomalies.length,
  });

  const cells = await runReadOnlySql(
    file,
    `select key, value, page, table_index, row_index, column_index, line_index, raw
       from report_cells where report_id = '${outcome.reportId}' order by key`,
  );
  const expected = [...input.parsed.cells]
    .sort((a, b) => (a.key < b.key ? -1 : 1))
    .map(({ key, value, provenance: p }) => [
      key,
      value,
      p?.page ?? null,
      p?.table ?? null,
      p?.row ?? null,
      p?.column ?? null,
      p?.line ?? null,
      p?.raw ?? null,
    ]);
  assert.deepEqual(cells.rows, expected);
  const blank = cells.rows.find(([key]) => key === 't3.not_processed.repeated.total');
  assert.equal(blank?.[1], null, 'a blank source cell is NULL, not 0');

  const report = await runReadOnlySql(file, `select issuer, year, format, is_report, published_at, url from reports`);
  assert.deepEqual(report.rows, [['示例县人民政府办公室', 2022, '2021', true, '2023-01-20', input.fetched.url]]);
  const anomaly = await runReadOnlySql(file, `select kind, anomaly_id, identity, expected, found from anomalies`);
  assert.deepEqual(anomaly.rows, [['identity', 'row_sum:granted', 'row_sum', 5, 6]]);
  const sighting = await runReadOnlySql(file, `select source_id, url, fetched_at, status, etag, run_id from document_sightings`);
  assert.deepEqual(sighting.rows, [['demo-xian', input.fetched.url, '2026-11-22T08:00:00.000Z', 200, '"abc, def"', 'run-1']]);
  const traced = await runReadOnlySql(
    file,
    `select page, row_index, column_index, raw, url, archive_path from traced_cells where key = 't3.granted.total'`,
  );
  assert.deepEqual(traced.rows, [[3, 4, 8, '6', input.fetched.url, input.fetched.archivePath]]);
});

test('loading the same document and parse again changes nothing', async () => {
  const file = path.join(dir, 'twice.duckdb');
  const input = sampleInput({ name: 'report-twice' });
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
  const before = await rowCounts(file);
  const again = await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
  assert.equal(again.loaded, false);
  assert.equal(again.reportId, reportIdOf(input.parsed));
  assert.deepEqual(await rowCounts(file), before);
});

test('a document seen again in a new run adds only a sighting', async () => {
  const file = path.join(dir, 'sighting.duckdb');
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, sampleInput({ name: 'seen', runId: 'run-1' })));
  const before = await rowCounts(file);
  const outcome = await withWarehouse(file, (warehouse) => loadDocument(warehouse, sampleInput({ name: 'seen', runId: 'run-2' })));
  assert.equal(outcome.loaded, false);
  assert.deepEqual(await rowCounts(file), { ...before, document_sightings: (before.document_sightings ?? 0) + 1 });
});

test('a new parser version adds a report, and latest_reports keeps one row per issuer and year: the newer parse', async () => {
  const file = path.join(dir, 'versions.duckdb');
  const newer = sampleInput({ name: 'versioned', parserVersion: '1.10.0' });
  const older = sampleInput({ name: 'versioned', parserVersion: '1.9.0' });
  await withWarehouse(file, async (warehouse) => {
    assert.equal((await loadDocument(warehouse, newer)).loaded, true);
    // Loaded later, but an older version: 1.10 must still win (versions compare as numbers, not text).
    assert.equal((await loadDocument(warehouse, older)).loaded, true);
  });
  const reports = await runReadOnlySql(file, 'select count(*) from reports');
  assert.equal(reports.rows[0]![0], 2);
  const latest = await runReadOnlySql(file, 'select report_id, issuer, year from latest_reports');
  assert.deepEqual(latest.rows, [[reportIdOf(newer.parsed), '示例县人民政府办公室', 2022]]);
});

test('latest_reports prefers the HTML document over the PDF of the same issuer and year, but a newer publication first', async () => {
  const file = path.join(dir, 'html-pdf.duckdb');
  const html = sampleInput({ name: 'same-html', format: 'html' });
  const pdf = sampleInput({ name: 'same-pdf', format: 'pdf' });
  await withWarehouse(file, async (warehouse) => {
    await loadDocument(warehouse, html);
    await loadDocument(warehouse, pdf); // loaded later, same published_at
  });
  const picked = await runReadOnlySql(file, 'select sha256, document_format from latest_reports');
  assert.deepEqual(picked.rows, [[html.fetched.sha256, 'html']]);

  const republished = sampleInput({ name: 'republished-pdf', format: 'pdf', publishedAt: '2023-03-01' });
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, republished));
  const after = await runReadOnlySql(file, 'select sha256 from latest_reports');
  assert.deepEqual(after.rows, [[republished.fetched.sha256]]);
});

test('report_summary gives the headline figures of the latest report, NULL where the source is blank', async () => {
  const file = path.join(dir, 'summary.duckdb');
  const input = sampleInput({ name: 'summary' });
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
  const result = await runReadOnlySql(
    file,
    `select issuer, region_code, year, format, new_requests, carried_over, granted, partial, denied, unable,
            not_processed, reviews, lawsuits, anomalies, url from report_summary`,
  );
  const value = (key: string) => input.parsed.cells.find((cell) => cell.key === key)?.value ?? null;
  const sumOf = (prefix: string) =>
    input.parsed.cells
      .filter((cell) => cell.key.startsWith(prefix) && cell.key.endsWith('.total') && cell.value !== null)
      .reduce((sum, cell) => sum + cell.value!, 0);
  assert.deepEqual(result.rows, [
    [
      '示例县人民政府办公室',
      '620721',
      2022,
      '2021',
      value('t3.new_received.total'),
      value('t3.carried_over.total'),
      value('t3.granted.total'),
      value('t3.partial.total'),
      sumOf('t3.denied.'),
      sumOf('t3.unable.'),
      null, // the only not_processed cell is blank
      value('t4.review.total'),
      value('t4.litigation_direct.total')! + value('t4.litigation_after_review.total')!,
      input.parsed.anomalies.length,
      input.fetched.url,
    ],
  ]);
});

test('table3_wide puts the applicant columns of each table-三 row side by side', async () => {
  const file = path.join(dir, 'wide.duckdb');
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, sampleInput({ name: 'wide' })));
  const result = await runReadOnlySql(
    file,
    `select row_key, natural_person, commercial, research, total from table3_wide
      where row_key in ('granted', 'denied.state_secret') order by row_key`,
  );
  const cell = (key: string) => sampleCells().find((c) => c.key === key)?.value ?? null;
  assert.deepEqual(result.rows, [
    ['denied.state_secret', null, null, null, cell('t3.denied.state_secret.total')],
    ['granted', cell('t3.granted.natural_person'), cell('t3.granted.commercial'), null, cell('t3.granted.total')],
  ]);
});

test('a failing insert rolls the whole document back and the error says which document', async () => {
  const file = path.join(dir, 'rollback.duckdb');
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, sampleInput({ name: 'kept' })));
  const before = await rowCounts(file);
  const broken = sampleInput({ name: 'broken' });
  // anomalies are written last; a NULL anomaly_id violates NOT NULL after everything else was inserted.
  broken.parsed.anomalies[0]!.id = null as unknown as string;
  await assert.rejects(
    withWarehouse(file, (warehouse) => loadDocument(warehouse, broken)),
    (error: Error & { code?: string; retryable?: boolean }) => {
      assert.equal(error.code, 'LOAD_DOCUMENT_FAILED');
      assert.equal(error.retryable, false);
      assert.match(error.message, new RegExp(broken.fetched.sha256));
      assert.match(error.message, /NOT NULL/i);
      return true;
    },
  );
  assert.deepEqual(await rowCounts(file), before);
  // The same warehouse still loads the fixed document afterwards.
  broken.parsed.anomalies[0]!.id = 'row_sum:granted';
  const outcome = await withWarehouse(file, (warehouse) => loadDocument(warehouse, broken));
  assert.equal(outcome.loaded, true);
});

test('refuses a parse with two cells under one key before writing anything', async () => {
  const file = path.join(dir, 'duplicate.duckdb');
  const input = sampleInput({ name: 'duplicate' });
  input.parsed.cells.push({ ...input.parsed.cells[0]! });
  await assert.rejects(
    withWarehouse(file, (warehouse) => loadDocument(warehouse, input)),
    { code: 'DUPLICATE_CELL_KEY' },
  );
  assert.deepEqual(
    Object.values(await rowCounts(file)),
    TABLES.map(() => 0),
  );
});

test('a non-report is loaded too, as is_report false, and stays out of latest_reports', async () => {
  const file = path.join(dir, 'non-report.duckdb');
  const input = sampleInput({ name: 'notice', cells: [] });
  input.parsed.meta = { ...input.parsed.meta, isReport: false, year: null, format: null };
  input.parsed.anomalies = [];
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, input));
  const reports = await runReadOnlySql(file, 'select is_report from reports');
  assert.deepEqual(reports.rows, [[false]]);
  const latest = await runReadOnlySql(file, 'select count(*) from latest_reports');
  assert.equal(latest.rows[0]![0], 0);
});

test("a PDF's document row names the engine that read it, and why pdf.js did; other formats have none", async () => {
  const file = path.join(dir, 'engine.duckdb');
  const input = sampleInput({ name: 'engine', format: 'pdf' });
  const readable = 'BT /F1 12 Tf 20 150 Td (Readable page) Tj ET';
  const garbled = 'BT /F2 12 Tf 20 150 Td (Garbled page) Tj ET';
  const engines = async () => (await runReadOnlySql(file, 'select format, engine, engine_fallback from documents order by format')).rows;
  const fallback = await extractPdf(buildMinimalPdf({ pages: [readable, garbled] }), input.fetched.sha256, { ocr: false });
  await withWarehouse(file, async (warehouse) => {
    await loadDocument(warehouse, { ...input, extracted: fallback });
    await loadDocument(warehouse, sampleInput({ name: 'engine-html' }));
  });
  assert.deepEqual(await engines(), [
    ['html', null, null],
    ['pdf', 'pdf.js', 'read by pdf.js: PDFium reads page(s) 2 as glyphs without Unicode mapping'],
  ]);
  // The row follows the latest extraction loaded, as extractor_version does.
  const pdfium = await extractPdf(buildMinimalPdf({ pages: [readable] }), input.fetched.sha256, { ocr: false });
  await withWarehouse(file, (warehouse) => loadDocument(warehouse, { ...input, extracted: pdfium }));
  assert.deepEqual((await engines())[1], ['pdf', 'pdfium', null]);
});
