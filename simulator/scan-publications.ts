/**
 * Reports the demo portals publish as scans (startDemoPortals({ scans: true })): an image-only PDF attachment
 * (`scan-pdf`), scanned pages linked as image files (`scan-images`), and an article whose prose is text but whose
 * tables are `<img>` scans (`html-images`). Their files are committed in simulator/scans/, made by
 * simulator/make-scan-publications.ts with the scan renderer (scan-render.ts): served as committed bytes, the
 * portals need no browser and every run OCRs the same pixels, so the demo's check is reproducible.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { notFound, type Reply } from './http-util.ts';
import type { PlantedReportData, ScanPublication } from './planted-data.ts';
import { renderStatutoryTables } from './statutory-tables.ts';

export const SCANS_DIR = new URL('./scans/', import.meta.url);

/** Decoration every `html-images` article shows besides its scans: none of it may be OCRed. */
export const DECORATION_FILES = {
  /** The site logo in the page header (chrome by position). */
  logo: 'decor-logo.png',
  /** A print icon the page sizes 16×16, whatever its pixels (tiny by declared size). */
  icon: 'decor-print.png',
  /** A button image with a neutral name and no declared size (tiny by its pixels, known once fetched). */
  button: 'decor-p0912.png',
} as const;

export function isScanPublication(published: string): published is ScanPublication {
  return published === 'scan-pdf' || published === 'scan-images' || published === 'html-images';
}

/** The committed page images of a report (`<id>-1.jpg`, `<id>-2.png`…), in page order; none for `scan-pdf`. */
export function scanPageFiles(reportId: string): string[] {
  if (!existsSync(SCANS_DIR)) return [];
  const page = new RegExp(`^${reportId}-(\\d+)\\.(jpg|png|tif)$`);
  return readdirSync(SCANS_DIR)
    .filter((name) => page.test(name))
    .sort((a, b) => Number(page.exec(a)![1]) - Number(page.exec(b)![1]));
}

/** The committed image-only PDF of a `scan-pdf` report. */
export function scanPdfFile(reportId: string): URL {
  return new URL(`${reportId}.pdf`, SCANS_DIR);
}

const CONTENT_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', pdf: 'application/pdf' };

/** Serves a committed scan file, or 404 while make-scan-publications.ts has not produced it. */
export function scanFileReply(name: string): Reply {
  const file = new URL(name, SCANS_DIR);
  if (!/^[\w.-]+$/.test(name) || !existsSync(file)) return notFound();
  const contentType = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
  return { status: 200, contentType, body: readFileSync(file) };
}

/** The body of a scanned report's detail page; `pages` are the page image URLs relative to it. */
export function scannedReportBody(report: PlantedReportData, pages: string[], withTableImages: (images: string) => string): string {
  switch (report.published) {
    case 'scan-images':
      return [
        `<p>${report.title}（扫描件）共${pages.length}页，请点击查看：</p>`,
        `<p>${pages.map((page, index) => `<a href="${page}" target="_blank">第${index + 1}页</a>`).join('&nbsp;')}</p>`,
      ].join('\n');
    case 'html-images': {
      const images = pages.map((page) => `<p style="text-align: center"><img src="${page}" alt="统计表" border="0"></p>`);
      return [
        withTableImages(images.join('\n')),
        `<p><img src="/images/${DECORATION_FILES.icon}" width="16" height="16" alt="">打印本页</p>`,
        `<p><img src="/images/${DECORATION_FILES.button}" alt=""></p>`,
      ].join('\n');
    }
    default:
      return `<p>${report.title}全文详见附件。</p>`;
  }
}

/** The site header an `html-images` article carries (its logo must not be OCRed). */
export function scannedPageHeader(report: PlantedReportData): string {
  return report.published === 'html-images' ? `<div class="header"><img src="/images/${DECORATION_FILES.logo}"></div>` : '';
}

/** Print rule keeping each table on one page: a scanned page then holds whole tables, as offices print them. */
const UNBROKEN_TABLES = 'table { page-break-inside: avoid; }';

/** A printable report with each table kept on one page (see UNBROKEN_TABLES). */
export function withUnbrokenTables(standaloneHtml: string): string {
  return standaloneHtml.replace('</style>', `${UNBROKEN_TABLES}\n</style>`);
}

/** The statutory tables alone, as a printable page: what an `html-images` article shows as scans. */
export function renderStandaloneTables(report: PlantedReportData): string {
  const tables = renderStatutoryTables(report.cells, report.format)
    .map(({ heading, html }) => `<p><strong>${heading}</strong></p>\n${html}`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${report.title}</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td { border: 1px solid #000; padding: 2pt; font-size: 8pt; text-align: center; }
${UNBROKEN_TABLES}
</style></head>
<body>
${tables}
</body></html>
`;
}
