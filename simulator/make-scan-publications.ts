/**
 * Makes the committed files of the reports the demo portals publish as scans (scan-publications.ts) into
 * simulator/scans/: `<id>.pdf` (an image-only PDF), `<id>-N.jpg|png` (page images; for an `html-images` article
 * the pages of its tables alone) and the decoration images those articles show. Clean 150 dpi scans: the demo
 * checks that OCR gives back the planted figures. Fixture generation only (Chromium + PDFium + sharp); the portals
 * serve the committed files. Usage: node --import tsx simulator/make-scan-publications.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadScannedReports, type PlantedReportData } from './planted-data.ts';
import { renderStandaloneReport } from './report-html.ts';
import { DECORATION_FILES, renderStandaloneTables, SCANS_DIR, withUnbrokenTables } from './scan-publications.ts';
import { scanImage, scanPagesOf, scanPdf, type RgbPage } from './scan-render.ts';

const outDir = fileURLToPath(SCANS_DIR);

/** A stable seed from a report id, so the same files come out each time. */
function seedOf(id: string): number {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
}

function write(name: string, bytes: Uint8Array): void {
  writeFileSync(new URL(name, SCANS_DIR), bytes);
  console.log(`simulator/scans/${name} (${bytes.byteLength} bytes)`);
}

/** Page images `<id>-1.<kind>`…, the kinds taken in turn (jpg, png: what portals post). */
async function writePages(id: string, pages: RgbPage[], kinds: ('jpg' | 'png')[]): Promise<void> {
  for (const [index, page] of pages.entries()) {
    const kind = kinds[index % kinds.length]!;
    write(`${id}-${index + 1}.${kind}`, await scanImage([page], kind, 'clean'));
  }
}

async function makeReport(report: PlantedReportData): Promise<void> {
  const seal = report.issuer.slice(0, 12);
  if (report.published === 'scan-pdf') {
    write(`${report.id}.pdf`, await scanPdf(await scanPagesOf(renderStandaloneReport(report), 'clean', seedOf(report.id), seal), 'clean'));
  } else if (report.published === 'scan-images') {
    const html = withUnbrokenTables(renderStandaloneReport(report));
    await writePages(report.id, await scanPagesOf(html, 'clean', seedOf(report.id), seal), ['jpg', 'png']);
  } else if (report.published === 'html-images') {
    await writePages(report.id, await scanPagesOf(renderStandaloneTables(report), 'clean', seedOf(report.id), seal), ['jpg']);
  }
}

/** A flat image of a size: decoration carries no table, only its size and place matter. */
async function decoration(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .png()
    .toBuffer();
}

mkdirSync(outDir, { recursive: true });
for (const report of loadScannedReports()) await makeReport(report);
// Each is big enough in pixels to pass every rule but the one it stands for (scan-publications.ts DECORATION_FILES).
write(DECORATION_FILES.logo, await decoration(900, 240));
write(DECORATION_FILES.icon, await decoration(600, 300));
write(DECORATION_FILES.button, await decoration(160, 48));
