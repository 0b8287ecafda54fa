import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { extractPdf } from './pdf.ts';
import type { ExtractedDocument, LineBlock } from './types.ts';

interface SimulatorReport {
  id: string;
  title: string;
  cells: Record<string, number | null>;
}

const reportsFile = readFileSync(new URL('../simulator/data/reports.json', import.meta.url), 'utf8');
const reports = (JSON.parse(reportsFile) as { reports: SimulatorReport[] }).reports;
const APPLICANT_COLUMNS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];
const PDF_IDS = ['huaian-2024', 'hongze-2023', 'longde-2020', 'sunan-2020', 'tangyuan-office-2020'];

function report(id: string): SimulatorReport {
  const found = reports.find((candidate) => candidate.id === id);
  assert.ok(found, `simulator report ${id}`);
  return found;
}

async function extractSimulatorPdf(id: string): Promise<ExtractedDocument> {
  const bytes = new Uint8Array(readFileSync(new URL(`../simulator/pdfs/${id}.pdf`, import.meta.url)));
  return extractPdf(bytes, `sha-${id}`);
}

function allLines(document: ExtractedDocument): LineBlock[] {
  return document.pages.flatMap((page) => page.blocks.filter((block): block is LineBlock => block.kind === 'line'));
}

/** The figures of a table-三 row as the template orders its columns, printed as the PDF prints them. */
function expectedRow(id: string, row: string): string[] {
  return APPLICANT_COLUMNS.map((column) => String(report(id).cells[`t3.${row}.${column}`]));
}

describe('extractPdf on the simulator PDFs (LibreOffice)', () => {
  for (const id of PDF_IDS) {
    it(`reads Chinese text, the title and the 本年新收 row of ${id} with its figures tab-separated in column order`, async () => {
      const document = await extractSimulatorPdf(id);
      assert.equal(document.format, 'pdf');
      assert.equal(document.title, report(id).title);
      const lines = allLines(document);
      assert.ok(
        lines.some((line) => line.text.includes('政府信息公开')),
        'Chinese text is not empty',
      );
      const row = lines.find((line) => line.text.includes('本年新收政府信息公开申请数量'));
      assert.ok(row, 'the 本年新收 row');
      const cells = row.text.split('\t');
      assert.deepEqual(cells.slice(-APPLICANT_COLUMNS.length), expectedRow(id, 'new_received'));
    });
  }

  it('gives every line a box inside the page, in reading order from the top', async () => {
    const document = await extractSimulatorPdf('huaian-2024');
    assert.ok(document.pages.length >= 2);
    for (const page of document.pages) {
      const boxes = page.blocks.map((block) => (block.kind === 'line' ? block.box : undefined));
      for (const box of boxes) {
        assert.ok(box, 'every PDF line has a box');
        assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 600 && box.y + box.height <= 850, JSON.stringify(box));
      }
      const tops = boxes.map((box) => box!.y);
      assert.deepEqual(
        tops,
        [...tops].sort((a, b) => a - b),
      );
    }
    assert.deepEqual(document.warnings, []);
  });

  it('keeps table-四 figures of the 2021 format in one tab-separated line', async () => {
    const document = await extractSimulatorPdf('huaian-2024');
    const cells = report('huaian-2024').cells;
    const groups = ['review', 'litigation_direct', 'litigation_after_review'];
    const metrics = ['upheld', 'corrected', 'other', 'pending', 'total'];
    const expected = groups.flatMap((group) => metrics.map((metric) => String(cells[`t4.${group}.${metric}`]))).join('\t');
    assert.ok(
      allLines(document).some((line) => line.text === expected),
      expected,
    );
  });

  it('can add pdf-parse ruling tables when asked', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../simulator/pdfs/huaian-2024.pdf', import.meta.url)));
    const document = await extractPdf(bytes, 'x', { rulingTables: true });
    const tables = document.pages.flatMap((page) => page.blocks.filter((block) => block.kind === 'table'));
    assert.ok(tables.length > 0);
    assert.ok(tables.every((table) => table.kind === 'table' && table.origin === 'pdf-ruling'));
    assert.deepEqual(
      tables.map((table) => (table.kind === 'table' ? table.index : -1)),
      tables.map((_, index) => index),
    );
  });
});

describe('loading pdf.js', () => {
  it('leaves the engine’s own Array.prototype.push in place (its legacy build would swap in a slow polyfill)', () => {
    // A fresh process, so that the push seen before loading is the engine's own.
    const script = `const push = Array.prototype.push;
      const { loadPdfParse } = await import(${JSON.stringify(new URL('./pdf-parse-loader.ts', import.meta.url).href)});
      await loadPdfParse();
      console.log(Array.prototype.push === push);`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.equal(output.trim(), 'true');
  });
});
