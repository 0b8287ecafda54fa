/**
 * Renders every planted report published as pdf or both to standalone HTML and prints it to
 * simulator/pdfs/<id>.pdf with LibreOffice (fixture generation only; the portals serve the committed files).
 * Usage: node --import tsx simulator/make-pdfs.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { htmlToPdf } from '../scripts/html-to-pdf.ts';
import { loadPlantedData, publishesPdf } from './planted-data.ts';
import { renderStandaloneReport } from './report-html.ts';

const outDir = fileURLToPath(new URL('./pdfs/', import.meta.url));
const workDir = mkdtempSync(path.join(tmpdir(), 'yangguang-pdfs-'));
try {
  mkdirSync(outDir, { recursive: true });
  const files = loadPlantedData()
    .reports.filter(publishesPdf)
    .map((report) => {
      const file = path.join(workDir, `${report.id}.html`);
      writeFileSync(file, renderStandaloneReport(report));
      return file;
    });
  for (const pdf of htmlToPdf(outDir, files)) console.log(pdf);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
