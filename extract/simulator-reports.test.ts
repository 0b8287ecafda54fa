import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDemoPortals, type DemoPortals, type PlantedReport } from '../simulator/index.ts';
import { extractDocument, joinHtmlPages } from './index.ts';
import type { ExtractedDocument } from './types.ts';

const APPLICANT_COLUMNS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];

async function fetchAndExtract(url: string): Promise<ExtractedDocument> {
  const response = await fetch(url);
  assert.equal(response.status, 200, url);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return extractDocument(bytes, { sha256: 'sha', contentType: response.headers.get('content-type'), url, maxBytes: 50_000_000 });
}

/** The 本年新收 figures as printed: blank cells (null) print as ''. */
function newReceived(report: PlantedReport): string[] {
  return APPLICANT_COLUMNS.map((column) => String(report.cells[`t3.new_received.${column}`] ?? ''));
}

/** The row of any table (HTML) or the TAB-separated line (PDF) that starts the 本年新收 row, as its last 7 cells. */
function newReceivedCells(document: ExtractedDocument): string[] | undefined {
  for (const block of document.pages.flatMap((page) => page.blocks)) {
    if (block.kind === 'table') {
      const row = block.rows.find((cells) => cells[0]?.text.includes('本年新收政府信息公开申请数量'));
      if (row) return row.slice(-APPLICANT_COLUMNS.length).map((cell) => cell.text);
    } else if (block.text.includes('本年新收政府信息公开申请数量')) {
      return block.text.split('\t').slice(-APPLICANT_COLUMNS.length);
    }
  }
  return undefined;
}

describe('extractDocument on the demo portals served over HTTP', () => {
  let portals: DemoPortals;
  before(async () => {
    portals = await startDemoPortals();
  });
  after(async () => {
    await portals.close();
  });

  it('reads the 本年新收 row of every planted HTML page and PDF with the planted figures', async () => {
    let checked = 0;
    for (const report of portals.planted) {
      for (const url of [report.htmlUrl, report.pdfUrl]) {
        if (!url) continue;
        // A report over several pages is read as the pipeline reads it: every part extracted, then joined.
        const parts = url === report.htmlUrl ? [url, ...report.partUrls] : [url];
        const document = joinHtmlPages(await Promise.all(parts.map(fetchAndExtract)));
        assert.equal(document.format, url === report.pdfUrl ? 'pdf' : 'html', url);
        assert.deepEqual(newReceivedCells(document), newReceived(report), `${report.id} ${url}`);
        checked++;
      }
    }
    assert.ok(checked >= portals.planted.length, `checked ${checked} documents`);
  });
});
