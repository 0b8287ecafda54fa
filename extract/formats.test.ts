import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { loadPlantedData } from '../simulator/planted-data.ts';
import { parseReport } from '../transform/index.ts';
import { extractDocument, type ExtractedDocument, type ExtractHints, type TableBlock } from './index.ts';

const hints: ExtractHints = { sha256: 'sha', contentType: null, url: 'http://127.0.0.1/doc', maxBytes: 10_000_000 };
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const planted = loadPlantedData().reports.find((report) => report.id === 'huaian-2024')!;
const lineTexts = (document: ExtractedDocument) =>
  document.pages.flatMap((page) => page.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : [])));
const tableBlocks = (document: ExtractedDocument) =>
  document.pages.flatMap((page) => page.blocks.filter((block): block is TableBlock => block.kind === 'table'));

function wrongCells(document: ExtractedDocument): string[] {
  const report = parseReport(document, { url: 'http://127.0.0.1/report', title: planted.title, publishedAt: planted.publishedAt });
  const found = new Map(report.cells.map((cell) => [cell.key, cell.value]));
  return Object.entries(planted.cells).flatMap(([key, value]) =>
    found.get(key) === value ? [] : [`${key}: ${String(found.get(key))} ≠ ${String(value)}`],
  );
}

describe('one report rendered as HTML, PDF, DOCX and DOC parses to the same planted cells', () => {
  for (const [file, format] of [
    ['report.html', 'html'],
    ['report.pdf', 'pdf'],
    ['report.docx', 'docx'],
    ['report.doc', 'doc'],
  ] as const) {
    it(`${file}: format ${format}, every planted cell right`, async () => {
      const document = await extractDocument(fixture(file), hints);
      assert.equal(document.format, format);
      assert.deepEqual(wrongCells(document), []);
    });
  }

  it('report.docx keeps merged cells as spans (tables come from mammoth as grids)', async () => {
    const document = await extractDocument(fixture('report.docx'), hints);
    const tables = document.pages.flatMap((page) => page.blocks.filter((block): block is TableBlock => block.kind === 'table'));
    assert.ok(tables.length >= 3);
    assert.ok(tables.every((table) => table.origin === 'docx'));
    assert.ok(tables.some((table) => table.rows.some((row) => row.some((cell) => cell.spanned))));
  });

  it('report.doc (Word 97) keeps each table row apart, the wide ones whose row end Word stores in the Data stream too', async () => {
    const document = await extractDocument(fixture('report.doc'), hints);
    assert.equal(document.format, 'doc');
    assert.ok(lineTexts(document).includes(planted.title));
    const tables = tableBlocks(document);
    assert.ok(tables.length >= 3 && tables.every((table) => table.origin === 'doc'));
    const label = '一、本年新收政府信息公开申请数量';
    const row = tables.flatMap((table) => table.rows).find((cells) => cells[0]?.text === label);
    const columns = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];
    // The label cell is merged over the three heading columns, so it fills three slots as in the DOCX and HTML.
    assert.deepEqual(row, [
      { text: label },
      { text: label, spanned: true },
      { text: label, spanned: true },
      ...columns.map((column) => ({ text: String(planted.cells[`t3.new_received.${column}`]) })),
    ]);
  });

  it('report.doc expands merged cells into the same grids as report.docx and report.html (every slot, spanned or not)', async () => {
    // word-extractor turns curly quotes straight in .doc text; that is not a matter of the grid.
    const grids = (document: ExtractedDocument) =>
      tableBlocks(document).map((table) =>
        table.rows.map((cells) =>
          cells.map((cell) => ({ text: cell.text.replace(/[\u201c\u201d]/g, '"'), spanned: cell.spanned === true })),
        ),
      );
    const doc = grids(await extractDocument(fixture('report.doc'), hints));
    assert.deepEqual(doc, grids(await extractDocument(fixture('report.docx'), hints)));
    assert.deepEqual(doc, grids(await extractDocument(fixture('report.html'), hints)));
    assert.ok(doc.flat(2).some((cell) => cell.spanned));
  });
});

describe('PDF page clean-up on report.pdf (running header/footer, table over a page break)', () => {
  it('removes the running header and the page-number footer from every page, with a warning', async () => {
    const document = await extractDocument(fixture('report.pdf'), hints);
    const lines = lineTexts(document);
    assert.equal(lines.filter((line) => line.includes('政务公开专栏')).length, 0);
    assert.equal(lines.filter((line) => /第\s*\d+\s*页/.test(line)).length, 0);
    assert.ok(document.warnings.some((warning) => warning.code === 'RUNNING_LINES_REMOVED'));
  });

  it('drops the heading rows table 3 repeats after the page break, so they appear once', async () => {
    const document = await extractDocument(fixture('report.pdf'), hints);
    assert.equal(lineTexts(document).filter((line) => /本列数据的勾稽关系为/.test(line)).length, 1);
    assert.ok(document.warnings.some((warning) => warning.code === 'REPEATED_TABLE_HEADING_REMOVED' && warning.page === 2));
  });
});

describe('OCR of a PDF page that is only an image', () => {
  it('reads the figures of the imaged table offline and says the page was OCRed', { timeout: 120_000 }, async () => {
    const document = await extractDocument(fixture('image-page.pdf'), hints);
    const secondPage = document.pages[1]!.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : []));
    assert.ok(secondPage.includes('17\t4\t2\t23'), secondPage.join(' | '));
    assert.ok(document.warnings.some((warning) => warning.code === 'OCR' && warning.page === 2));
  });

  it('records NEEDS_OCR per page instead when OCR is off', async () => {
    const document = await extractDocument(fixture('image-page.pdf'), { ...hints, pdf: { ocr: false } });
    assert.deepEqual(document.pages[1]!.blocks, []);
    assert.ok(document.warnings.some((warning) => warning.code === 'NEEDS_OCR' && warning.page === 2));
  });
});

describe('zip containers', () => {
  it('refuses a docx whose entry inflates absurdly: ZIP_BOMB before inflating it', async () => {
    const zip = await JSZip.loadAsync(fixture('report.docx'));
    zip.file('word/media/padding.bin', new Uint8Array(50 * 1024 * 1024));
    const bomb = new Uint8Array(await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
    assert.ok(bomb.byteLength < 1_000_000);
    await assert.rejects(
      extractDocument(bomb, hints),
      (error: Error & { code: string; retryable: boolean }) => error.code === 'ZIP_BOMB' && !error.retryable,
    );
  });

  it('names an OFD document as unsupported: UNSUPPORTED_FORMAT', async () => {
    const zip = new JSZip();
    zip.file('OFD.xml', '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>');
    const ofd = new Uint8Array(await zip.generateAsync({ type: 'uint8array' }));
    await assert.rejects(
      extractDocument(ofd, hints),
      (error: Error & { code: string }) => error.code === 'UNSUPPORTED_FORMAT' && /OFD/.test(error.message),
    );
  });
});
