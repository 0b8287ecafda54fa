/**
 * Scanned pages into blocks, whatever carries them: image files (.png, .jpg, .tif, one document; a multi-page
 * TIFF page by page) and image-only PDF pages. Each page is cleaned (seal, light, skew), its ruled tables read
 * cell by cell and its other text as lines; running headers and page numbers repeated across pages are dropped.
 */
import sharp from 'sharp';
import { UnsupportedFormatError } from './errors.ts';
import { removeRunningLines } from './pdf-layout.ts';
import { renderPdfPagesRgb } from './pdfium-render.ts';
import { cleanScan } from './scan-clean.ts';
import { readScanPage } from './scan-page.ts';
import type { DocumentPage, ExtractedDocument, ExtractWarning } from './types.ts';

/** image-1: tables read from images by ruling grid and cell-by-cell OCR (tesseract 5). */
export const IMAGE_EXTRACTOR_VERSION = 'image-1';
/** PDF pages are rendered at the resolution most scans are made at; finer costs OCR time for nothing. */
export const SCAN_RENDER_DPI = 150;
const A4_WIDTH_INCHES = 8.27;
/** A resolution outside this is a missing or wrong header (72 = "unknown" for many writers). */
const PLAUSIBLE_DPI: [number, number] = [90, 600];
/** Pages OCRed per image document at most (each costs seconds). */
const MAX_IMAGE_PAGES = 20;

/** The resolution of a scan: its header if plausible, else as if its width were an A4 page's. */
function dpiOf(width: number, density: number | undefined): number {
  if (density && density >= PLAUSIBLE_DPI[0] && density <= PLAUSIBLE_DPI[1]) return density;
  return Math.min(PLAUSIBLE_DPI[1], Math.max(PLAUSIBLE_DPI[0], Math.round(width / A4_WIDTH_INCHES)));
}

/** Cleans and reads one page given as RGB pixels. */
async function readRgbPage(
  rgb: Uint8Array,
  width: number,
  height: number,
  dpi: number,
  number: number,
  linesToo = true,
): Promise<{ page: DocumentPage; heightPoints: number; skew: number }> {
  const { image, skewDegrees } = await cleanScan(rgb, width, height, dpi);
  return {
    page: { number, blocks: await readScanPage(image, number, { linesToo }) },
    heightPoints: (image.height * 72) / dpi,
    skew: skewDegrees,
  };
}

/** Numbers the tables of a document in reading order, from 0. */
export function renumberTables(pages: DocumentPage[]): void {
  let index = 0;
  for (const page of pages) for (const block of page.blocks) if (block.kind === 'table') block.index = index++;
}

/** Reads an image file (PNG, JPEG, TIFF, GIF, BMP, WebP) as a scanned document. */
export async function extractImage(bytes: Uint8Array, sha256: string): Promise<ExtractedDocument> {
  const metadata = await sharp(bytes)
    .metadata()
    .catch((error: unknown) =>
      Promise.reject(
        new UnsupportedFormatError(`an image that cannot be decoded: ${error instanceof Error ? error.message : String(error)}`, {
          cause: error,
        }),
      ),
    );
  const pageCount = Math.min(metadata.pages ?? 1, MAX_IMAGE_PAGES);
  const warnings: ExtractWarning[] = [];
  const laidOut = [];
  for (let index = 0; index < pageCount; index++) {
    // .rotate() with no angle applies the EXIF orientation a phone wrote.
    const { data, info } = await sharp(bytes, { page: index })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const dpi = dpiOf(info.width, metadata.density);
    const read = await readRgbPage(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, dpi, index + 1);
    warnings.push({
      code: 'OCR',
      message: `page ${index + 1}: image read by OCR at ${dpi} dpi, straightened by ${read.skew.toFixed(2)}°`,
      page: index + 1,
    });
    laidOut.push({ page: read.page, height: read.heightPoints });
  }
  if ((metadata.pages ?? 1) > MAX_IMAGE_PAGES)
    warnings.push({ code: 'NEEDS_OCR', message: `only the first ${MAX_IMAGE_PAGES} of ${metadata.pages} image pages were read` });
  warnings.push(...removeRunningLines(laidOut));
  const pages = laidOut.map((entry) => entry.page);
  renumberTables(pages);
  return { sha256, format: 'image', extractorVersion: IMAGE_EXTRACTOR_VERSION, title: null, pages, warnings };
}

/**
 * Reads the given PDF pages (numbers from 1) as scans: rendered in colour by PDFium, then as image pages.
 * `linesToo: false` reads only the tables (a page whose text layer already gives its lines).
 */
export async function readPdfScanPages(
  bytes: Uint8Array,
  pageNumbers: number[],
  options: { linesToo: boolean },
): Promise<Map<number, DocumentPage>> {
  const results = new Map<number, DocumentPage>();
  if (pageNumbers.length === 0) return results;
  await renderPdfPagesRgb(bytes, pageNumbers, SCAN_RENDER_DPI, async (number, image) => {
    results.set(number, (await readRgbPage(image.pixels, image.width, image.height, SCAN_RENDER_DPI, number, options.linesToo)).page);
  });
  return results;
}
