/**
 * Turns HTML files into PDFs with LibreOffice headless (Debian: libreoffice-writer-nogui, fonts-noto-cjk).
 * Used only to (re)generate committed fixtures; tests and the demo never need LibreOffice.
 * Usage: node --import tsx scripts/html-to-pdf.ts OUT_DIR FILE.html [FILE.html ...]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Converts each HTML file to OUT_DIR/<name>.pdf; one soffice process for the whole batch. */
export function htmlToPdf(outDir: string, htmlFiles: string[]): string[] {
  const profile = mkdtempSync(path.join(tmpdir(), 'yangguang-soffice-'));
  try {
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        // Import as a Writer text document, not Writer/Web: writer_web_pdf_Export printed a blank first page
        // and dropped the document's first block (its <h1>), and paginated worse.
        '--infilter=HTML (StarWriter)',
        '--convert-to',
        'pdf:writer_pdf_Export',
        '--outdir',
        outDir,
        ...htmlFiles,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  return htmlFiles.map((file) => path.join(outDir, `${path.basename(file, path.extname(file))}.pdf`));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [outDir, ...files] = process.argv.slice(2);
  if (!outDir || files.length === 0) {
    console.error('usage: node --import tsx scripts/html-to-pdf.ts OUT_DIR FILE.html [FILE.html ...]');
    process.exit(2);
  }
  for (const pdf of htmlToPdf(outDir, files)) console.log(pdf);
}
