/**
 * Generates the committed extract fixtures (extract/fixtures/report.*, image-page.pdf) from HTML written here:
 * one planted report as HTML; the same HTML printed by chromium to PDF (running header and footer on every
 * page, merged cells, table 3 split over a page break with its <thead> rows repeated — LibreOffice's HTML
 * import puts the header on the first page only) and converted by LibreOffice to DOCX and DOC; plus a PDF
 * whose second page is only an image of a table (for OCR). Tests read the committed files and need neither.
 * Needs: soffice (Debian libreoffice-writer-nogui), fonts-noto-cjk, chromium.
 * Usage: node --import tsx scripts/make-extract-fixtures.ts
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchOfflineChromium } from '../simulator/offline-chromium.ts';
import { loadPlantedData, type PlantedReportData } from '../simulator/planted-data.ts';
import { renderReportBody } from '../simulator/report-html.ts';

const FIXTURE_REPORT_ID = 'huaian-2024';
const outDir = fileURLToPath(new URL('../extract/fixtures/', import.meta.url));

function requireTool(command: string, hint: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
  } catch {
    console.error(`make-extract-fixtures needs ${command}: ${hint}`);
    process.exit(2);
  }
}

/** Statutory table rows that hold only labels become <thead> rows, which LibreOffice repeats on each page. */
function withHeadingRows(body: string): string {
  return body
    .replace(
      /<table([^>]*)>\n((?:<tr>(?:(?!<\/tr>).)*<\/tr>\n){2})/g,
      (_, attributes: string, heading: string) => `<table${attributes}>\n<thead>\n${heading}</thead>\n<tbody>\n`,
    )
    .replace(/<\/table>/g, (match, offset: number, whole: string) =>
      whole.lastIndexOf('<tbody>', offset) > whole.lastIndexOf('</table>', offset - 1) ? `</tbody>\n${match}` : match,
    );
}

/** The report as a standalone page (the running header and footer are added when printing). */
function reportHtml(report: PlantedReportData, bodyHtml: string, signed = true): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${report.title}</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 11pt; }
h1 { font-size: 16pt; text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td { border: 1px solid #000; padding: 3pt; font-size: 10pt; text-align: center; }
</style></head>
<body>
<h1>${report.title}</h1>
${bodyHtml}
${signed ? `<p style="text-align: right">${report.issuer}</p>\n<p style="text-align: right">${report.publishedAt}</p>` : ''}
</body></html>
`;
}

function soffice(workDir: string, target: string, file: string): void {
  const profile = path.join(workDir, 'profile');
  execFileSync(
    'soffice',
    [
      `-env:UserInstallation=file://${profile}`,
      '--headless',
      '--infilter=HTML (StarWriter)',
      '--convert-to',
      target,
      '--outdir',
      workDir,
      file,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
}

/** Prints an HTML file to A4 PDF with a running header (the issuer) and footer (page numbers) on every page. */
async function printPdf(browser: Browser, htmlFile: string, pdfFile: string, header: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(`file://${htmlFile}`);
  const style = 'font-family: Noto Sans CJK SC; font-size: 9px; width: 100%; text-align: center';
  await page.pdf({
    path: pdfFile,
    format: 'A4',
    displayHeaderFooter: true,
    headerTemplate: `<div style="${style}">${header}</div>`,
    footerTemplate: `<div style="${style}">第 <span class="pageNumber"></span> 页 共 <span class="totalPages"></span> 页</div>`,
    margin: { top: '60px', bottom: '60px', left: '50px', right: '50px' },
  });
  await page.close();
}

/** A PNG of a small statutory-style table, rendered by chromium. */
async function tableScreenshot(browser: Browser, file: string): Promise<void> {
  {
    const page = await browser.newPage({ viewport: { width: 900, height: 300 }, deviceScaleFactor: 2 });
    await page.setContent(`<html><body style="font-family: 'Noto Sans CJK SC'; font-size: 22px; margin: 20px">
<p>附表 行政复议情况</p>
<table style="border-collapse: collapse" cellpadding="10"><tr><td>维持</td><td>纠正</td><td>其他</td><td>总计</td></tr>
<tr><td>17</td><td>4</td><td>2</td><td>23</td></tr></table></body></html>`);
    await page.screenshot({ path: file, fullPage: true });
    await page.close();
  }
}

async function main(): Promise<void> {
  requireTool('soffice', 'apt-get install -y libreoffice-writer-nogui fonts-noto-cjk');
  requireTool('chromium', 'apt-get install -y chromium');
  const report = loadPlantedData().reports.find((candidate) => candidate.id === FIXTURE_REPORT_ID);
  if (!report) throw new Error(`planted report ${FIXTURE_REPORT_ID} not found`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'yangguang-extract-fixtures-'));
  try {
    const html = reportHtml(report, withHeadingRows(renderReportBody(report)));
    const htmlFile = path.join(workDir, 'report.html');
    writeFileSync(htmlFile, html);
    copyFileSync(htmlFile, path.join(outDir, 'report.html'));
    soffice(workDir, 'docx:MS Word 2007 XML', htmlFile);
    soffice(workDir, 'doc:MS Word 97', htmlFile);
    for (const extension of ['docx', 'doc'])
      copyFileSync(path.join(workDir, `report.${extension}`), path.join(outDir, `report.${extension}`));

    const browser = await launchOfflineChromium();
    try {
      const header = `${report.issuer}政务公开专栏`;
      await printPdf(browser, htmlFile, path.join(outDir, 'report.pdf'), header);
      const png = path.join(workDir, 'table.png');
      await tableScreenshot(browser, png);
      const imagePage = path.join(workDir, 'image-page.html');
      writeFileSync(
        imagePage,
        reportHtml(report, `<p>正文第一页。</p><p style="page-break-before: always"><img src="table.png" width="600"></p>`, false),
      );
      await printPdf(browser, imagePage, path.join(outDir, 'image-page.pdf'), header);
    } finally {
      await browser.close();
    }
    console.log(`wrote report.{html,pdf,docx,doc} and image-page.pdf to ${outDir}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
