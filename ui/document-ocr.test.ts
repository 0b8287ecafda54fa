/**
 * The document page of a scanned report: each figure with its OCR page, box and confidence, the low ones marked,
 * read from a real DuckDB file the document was loaded into; nothing of the kind on a text document's page.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { ExtractedDocument, TableCell } from '../extract/types.ts';
import { sampleInput } from '../load/fixtures/documents.ts';
import { loadDocument, withWarehouse } from '../load/index.ts';
import { parseReport } from '../transform/index.ts';
import { renderDocumentPage } from './record-pages.ts';

let dir: string;
let config: { duckdbPath: string; timezone: string };
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-ui-ocr-'));
  config = { duckdbPath: path.join(dir, 'ui-ocr.duckdb'), timezone: 'Asia/Shanghai' };
});
after(async () => rm(dir, { recursive: true, force: true }));

/** Table 四 as the OCR reader builds it: heads, then a row of figures, each slot with its confidence and box. */
function scannedTable四(figures: string[], confidenceOf: (column: number) => number): TableCell[][] {
  const box = (column: number, y: number) => ({ page: 2, x: 40 + column * 30, y, width: 30, height: 14 });
  return [
    ['行政复议', '行政诉讼'].map((text, column) => ({ text, ocr: { confidence: 95, box: box(column, 300), pass: 'text' as const } })),
    figures.map((text, column) => ({ text, ocr: { confidence: confidenceOf(column), box: box(column, 314.4), pass: 'digits' as const } })),
  ];
}

/** A scanned report (one table, on its second page) loaded into the warehouse; returns its sha256. */
async function loadScannedReport(name: string, lowColumn: number): Promise<string> {
  const input = sampleInput({ name });
  const figures = ['1', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'];
  const extracted: ExtractedDocument = {
    sha256: input.fetched.sha256,
    format: 'image',
    extractorVersion: 'image-1',
    title: null,
    pages: [
      { number: 1, blocks: [{ kind: 'line', text: '示例县人民政府办公室2022年政府信息公开工作年度报告' }] },
      {
        number: 2,
        blocks: [
          { kind: 'line', text: '四、政府信息公开行政复议、行政诉讼情况' },
          { kind: 'table', index: 0, origin: 'ocr', rows: scannedTable四(figures, (column) => (column === lowColumn ? 31 : 92)) },
        ],
      },
    ],
    warnings: [],
  };
  const parsed = parseReport(extracted);
  await withWarehouse(config.duckdbPath, (warehouse) =>
    loadDocument(warehouse, { ...input, fetched: { ...input.fetched, contentType: 'image/png' }, extracted, parsed }),
  );
  return input.fetched.sha256;
}

test("a scanned document's page shows each figure's OCR page, box and confidence, the low ones marked", async () => {
  const sha256 = await loadScannedReport('ui-ocr-scan', 0);
  const page = await renderDocumentPage(config, sha256);
  assert.ok(page);
  assert.match(page, /<h2>Read by OCR<\/h2><p>15 figures read by OCR; 1 under confidence 60/);
  // t4.review.upheld: the first figure, read with confidence 31, on page 2 at (40, 314), 30×14 points.
  assert.match(
    page,
    /<tr><td>t4\.review\.upheld<\/td><td class="n">1<\/td><td>1<\/td><td class="n">2<\/td><td>40, 314 · 30×14<\/td><td class="n"><span class="flag">31 low<\/span><\/td><td>digits<\/td>/,
  );
  assert.match(
    page,
    /<tr><td>t4\.review\.corrected<\/td><td class="n">0<\/td><td>0<\/td><td class="n">2<\/td><td>70, 314 · 30×14<\/td><td class="n">92<\/td>/,
  );
  assert.equal(page.match(/ low<\/span>/g)?.length, 1, 'only the low-confidence figure is marked');
});

test("a text document's page has no OCR section", async () => {
  const input = sampleInput({ name: 'ui-ocr-text' });
  await withWarehouse(config.duckdbPath, (warehouse) => loadDocument(warehouse, input));
  const page = await renderDocumentPage(config, input.fetched.sha256);
  assert.ok(page);
  assert.match(page, /<h2>Parsed as<\/h2>/);
  assert.doesNotMatch(page, /Read by OCR/);
});
