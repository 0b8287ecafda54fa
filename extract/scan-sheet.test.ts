/**
 * Two pages per sheet: real images drawn with sharp (a sheet of two ruled pages, tilted, with a fold shadow; a
 * single landscape page whose wide table crosses the middle) and a two-up scan of a planted report rendered by
 * Chromium and read by the real OCR, as an image file and inside an image-only PDF. Needs chromium and
 * tesseract, as `npm ci` installs them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { loadPlantedData } from '../simulator/planted-data.ts';
import { renderStandaloneReport } from '../simulator/report-html.ts';
import { scanImage, scanPagesOf, scanPdf } from '../simulator/scan-render.ts';
import { parseReport } from '../transform/index.ts';
import { extractDocument } from './index.ts';
import { findGutter, pagesOfSheet, stackedPages, type RgbImage } from './scan-sheet.ts';
import type { ExtractedDocument, TableBlock } from './types.ts';

/** An SVG table: `columns` x `rows` ruled cells with a figure in each, from (x, y), `width` wide. */
function tableSvg(x: number, y: number, width: number, columns: number, rows: number): string {
  const cellWidth = width / columns;
  const cellHeight = 28;
  const parts: string[] = [];
  for (let row = 0; row <= rows; row++)
    parts.push(
      `<line x1="${x}" y1="${y + row * cellHeight}" x2="${x + width}" y2="${y + row * cellHeight}" stroke="#000" stroke-width="2"/>`,
    );
  for (let column = 0; column <= columns; column++)
    parts.push(
      `<line x1="${x + column * cellWidth}" y1="${y}" x2="${x + column * cellWidth}" y2="${y + rows * cellHeight}" stroke="#000" stroke-width="2"/>`,
    );
  for (let row = 0; row < rows; row++)
    for (let column = 0; column < columns; column++)
      parts.push(
        `<text x="${x + column * cellWidth + cellWidth / 2}" y="${y + row * cellHeight + 20}" font-size="16" text-anchor="middle" font-family="DejaVu Sans">${(row * 37 + column * 11) % 1000}</text>`,
      );
  return parts.join('');
}

/** A text line as a dark bar, as ink from far away; `marker` draws a thick block to tell pages apart. */
const textBars = (x: number, y: number, width: number, lines: number) =>
  Array.from({ length: lines }, (_, index) => `<rect x="${x}" y="${y + index * 26}" width="${width}" height="12" fill="#222"/>`).join('');

async function rgbOf(svg: string, rotate = 0): Promise<RgbImage> {
  const { data, info } = await sharp(Buffer.from(svg))
    .flatten({ background: '#ffffff' })
    .rotate(rotate, { background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

/** A portrait page 1000 x 1414 with margins, text and a table; `blockAt` marks its top left corner for identity. */
function pageSvg(left: number, mark: 'square' | 'none'): string {
  return (
    textBars(left + 120, 120, 760, 4) +
    tableSvg(left + 100, 260, 800, 6, 30) +
    textBars(left + 120, 1140, 500, 3) +
    (mark === 'square' ? `<rect x="${left + 100}" y="60" width="40" height="40" fill="#000"/>` : '')
  );
}

const svgOf = (width: number, height: number, body: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${body}</svg>`;

/** A fold: a soft grey band down the middle of the sheet. */
const foldShadow = (centre: number, height: number) =>
  `<defs><linearGradient id="fold"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="0.5" stop-color="#000" stop-opacity="0.35"/><stop offset="1" stop-color="#000" stop-opacity="0"/></linearGradient></defs>` +
  `<rect x="${centre - 40}" y="0" width="80" height="${height}" fill="url(#fold)"/>`;

/** Share of dark pixels in a box of an image. */
function darkShare(image: RgbImage, box: { x: number; y: number; width: number; height: number }): number {
  let dark = 0;
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x; x < box.x + box.width; x++) if (image.pixels[(y * image.width + x) * 3]! < 100) dark++;
  return dark / (box.width * box.height);
}

/** The pages on which a document's OCRed cells lie, per document page. */
const cellBoxPages = (document: ExtractedDocument) =>
  document.pages.map((page) =>
    [
      ...new Set(
        page.blocks.flatMap((block) =>
          block.kind === 'table' ? block.rows.flat().flatMap((cell) => (cell.ocr ? [cell.ocr.box.page] : [])) : [],
        ),
      ),
    ].sort(),
  );

describe('pages one under another (a long image)', () => {
  it('cuts a long image of two pages in the paper between them, top page first', async () => {
    const body = pageSvg(0, 'square') + `<g transform="translate(0 1414)">${pageSvg(0, 'none')}</g>`;
    const pages = stackedPages(await rgbOf(svgOf(1000, 2828, body), 1));
    assert.equal(pages.length, 2);
    for (const page of pages) assert.ok(Math.abs(page.height - 1414) < 150, `each part about a page tall: ${page.height}`);
    const corner = { x: 100, y: 40, width: 120, height: 120 };
    assert.ok(darkShare(pages[0]!, corner) > 0.05, 'the top page comes first');
    assert.ok(darkShare(pages[1]!, corner) < 0.01, 'the lower page comes second');
  });

  it('leaves a long image whole where its table runs on past where a page would end', async () => {
    const image = await rgbOf(svgOf(1000, 2828, textBars(120, 60, 760, 3) + tableSvg(100, 160, 800, 6, 90)));
    assert.equal(stackedPages(image).length, 1);
  });
});

describe('two pages per sheet', () => {
  it('splits a tilted sheet of two pages at its fold, left page first', async () => {
    const sheet = await rgbOf(svgOf(2000, 1414, pageSvg(0, 'square') + pageSvg(1000, 'none') + foldShadow(1000, 1414)), 2);
    const { pages, gutter } = await pagesOfSheet(sheet);
    assert.ok(gutter, 'a gutter found');
    assert.ok(Math.abs(gutter.centreX - sheet.width / 2) < sheet.width * 0.03, `gutter near the middle, at ${gutter.centreX}`);
    // sharp turns clockwise: the fold's top leans right, so x falls going down.
    assert.ok(Math.abs(gutter.angle + 2) <= 0.5, `the gutter slants with the sheet, ${gutter.angle}°`);
    assert.equal(pages.length, 2);
    for (const page of pages) assert.ok(page.height / page.width > 1.2, `each half is a portrait page: ${page.width}x${page.height}`);
    // The marked page (top left square) is the first one; the second has no mark where it would be.
    const corner = { x: 100, y: 40, width: 120, height: 120 };
    assert.ok(darkShare(pages[0]!, corner) > 0.05, 'the left page comes first');
    assert.ok(darkShare(pages[1]!, corner) < 0.01, 'the right page comes second');
  });

  it('leaves a single landscape page whole when its wide table crosses the middle', async () => {
    const sheet = await rgbOf(svgOf(2000, 1414, textBars(300, 100, 1400, 3) + tableSvg(100, 240, 1800, 14, 34)), 1.5);
    assert.equal(await findGutter(sheet), null);
    assert.equal((await pagesOfSheet(sheet)).pages.length, 1);
  });

  it('leaves a landscape page whole whose text stops short of the bottom only in the middle', async () => {
    // Two columns of text under a title that spans them: the middle is bare below the title, not top to bottom.
    const body = textBars(200, 80, 1600, 2) + textBars(100, 200, 780, 40) + textBars(1120, 200, 780, 40);
    assert.equal(await findGutter(await rgbOf(svgOf(2000, 1414, body))), null);
  });

  it('leaves a portrait page whole', async () => {
    assert.equal(await findGutter(await rgbOf(svgOf(1000, 1414, pageSvg(0, 'square')))), null);
  });

  it('reads a two-up degraded scan of a report as two pages, each figure with its half page and box', async () => {
    const report = loadPlantedData().reports.find((candidate) => candidate.id === 'huaian-2024');
    assert.ok(report);
    const sheets = await scanPagesOf(renderStandaloneReport(report), 'two-up', 3, report.issuer);
    assert.equal(sheets.length, 1, 'the two pages of the report on one sheet');
    const document = await extractDocument(new Uint8Array(await scanImage(sheets, 'tif', 'two-up')), {
      sha256: 'two-up',
      contentType: null,
      url: 'file://two-up.tif',
      maxBytes: 100_000_000,
    });
    assert.equal(document.pages.length, 2, 'one page per half');
    const firstLines = document.pages[0]!.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : []));
    assert.match(firstLines.join('\n'), /政府信息公开工作年度报告/, 'the left page, with the title, comes first');
    const tables = document.pages.flatMap((page) => page.blocks).filter((block): block is TableBlock => block.kind === 'table');
    const boxPages = new Set(tables.flatMap((table) => table.rows.flat()).flatMap((cell) => (cell.ocr ? [cell.ocr.box.page] : [])));
    assert.deepEqual([...boxPages].sort(), [1, 2], 'figures read on both halves');
    const parsed = parseReport(document);
    const values = new Map(parsed.cells.map((cell) => [cell.key, cell.value]));
    const wrong = Object.entries(report.cells).filter(([key, value]) => values.get(key) !== value);
    assert.ok(wrong.length <= Object.keys(report.cells).length * 0.2, `at most 20% wrong, got ${wrong.length}`);
    if (wrong.length > 0)
      assert.ok(
        parsed.anomalies.some((anomaly) => anomaly.kind === 'ocr_uncertain' || anomaly.kind === 'missing_cell'),
        'every wrong figure is in a report that says something is off',
      );
  });

  it('reads a two-up sheet inside an image-only PDF as two pages, and numbers the PDF pages after it on', async () => {
    const report = loadPlantedData().reports.find((candidate) => candidate.id === 'huaian-2024');
    assert.ok(report);
    const [sheet] = await scanPagesOf(renderStandaloneReport(report), 'two-up', 3, report.issuer);
    assert.ok(sheet);
    // The PDF's second page: one portrait page with a ruled table of figures (the sheet's dpi, so A4-sized).
    const single = await rgbOf(svgOf(1000, 1414, pageSvg(0, 'none')));
    const pdf = await scanPdf([sheet, { ...single, dpi: sheet.dpi, pixels: Buffer.from(single.pixels) }], 'two-up');
    const document = await extractDocument(pdf, {
      sha256: 'two-up-pdf',
      contentType: 'application/pdf',
      url: 'file://two-up.pdf',
      maxBytes: 100_000_000,
    });
    assert.equal(document.format, 'pdf');
    assert.deepEqual(
      document.pages.map((page) => page.number),
      [1, 2, 3],
      'the sheet is pages 1 and 2, the PDF page after it page 3',
    );
    assert.deepEqual(cellBoxPages(document), [[1], [2], [3]], "each cell's box on its own page");
    const firstLines = document.pages[0]!.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : []));
    assert.match(firstLines.join('\n'), /政府信息公开工作年度报告/, 'the left half, with the title, comes first');
    const lastTable = document.pages[2]!.blocks.find((block): block is TableBlock => block.kind === 'table');
    assert.ok(lastTable, "the last page's table read");
    const read = new Set(lastTable.rows.flat().map((cell) => cell.text));
    const drawn = Array.from({ length: 30 * 6 }, (_, index) => String((Math.floor(index / 6) * 37 + (index % 6) * 11) % 1000));
    const found = drawn.filter((figure) => read.has(figure)).length;
    assert.ok(found >= drawn.length * 0.8, `the table's figures read: ${found} of ${drawn.length}`);
    const ocrWarnings = document.warnings.filter((warning) => warning.code === 'OCR');
    assert.match(ocrWarnings.find((warning) => warning.page === 1)?.message ?? '', /sheet of 2 pages/);
    assert.match(ocrWarnings.find((warning) => warning.page === 3)?.message ?? '', /^page 3 \(PDF page 2\) has no text layer/);
    const parsed = parseReport(document);
    const values = new Map(parsed.cells.map((cell) => [cell.key, cell.value]));
    const wrong = Object.entries(report.cells).filter(([key, value]) => values.get(key) !== value);
    assert.ok(wrong.length <= Object.keys(report.cells).length * 0.2, `at most 20% of the report's figures wrong, got ${wrong.length}`);
  });
});
