/**
 * Child of the ocr benchmark: makes its scans (clean 150 dpi and degraded 120 dpi image-only PDFs of the
 * simulator's planted reports; needs chromium) and writes them as 0.pdf, 1.pdf, … into the given directory. In
 * a process of its own, so that Chromium's driver and the image work of making the scans stay out of the
 * benchmark's RSS, as they stay out of an extract worker's.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadPlantedData } from '../../simulator/planted-data.ts';
import { renderStandaloneReport } from '../../simulator/report-html.ts';
import { scanPagesOf, scanPdf, type ScanVariant } from '../../simulator/scan-render.ts';

const REPORT_IDS = ['huaian-2024', 'longde-2020', 'shanghai-office-2019'];
const VARIANTS: ScanVariant[] = ['clean', 'degraded'];

const dir = process.argv[2];
if (!dir) throw new Error('usage: _ocr-scans.ts DIRECTORY');
const reports = loadPlantedData().reports.filter((report) => REPORT_IDS.includes(report.id));
let count = 0;
for (const variant of VARIANTS) {
  for (const [index, report] of reports.entries()) {
    const pages = await scanPagesOf(renderStandaloneReport(report), variant, index + 1, report.issuer);
    writeFileSync(path.join(dir, `${count++}.pdf`), await scanPdf(pages, variant));
  }
}
