/**
 * Scanned pages into blocks, whatever carries them: image files (.png, .jpg, .tif, one document; a multi-page
 * TIFF page by page) and image-only PDF pages. Each page is cleaned (seal, light, skew), its ruled tables read
 * cell by cell and its other text as lines; running headers and page numbers repeated across pages are dropped.
 */
import { isMainThread } from 'node:worker_threads';
import sharp from 'sharp';
import { UnsupportedFormatError } from './errors.ts';
import { removeRunningLines, renumberTables } from './pdf-layout.ts';
import { renderPdfPages } from './pdfium-render.ts';
import { cleanScan } from './scan-clean.ts';
import { readScanPage } from './scan-page.ts';
import { dpiOfA4Width, joinHalves, pagesOfSheet, stackedPages } from './scan-sheet.ts';
import type { DocumentPage, ExtractedDocument, ExtractWarning } from './types.ts';

// An extract thread (jobs/extract-pool.ts) reads one page at a time on its core: libvips's cache of recent
// operations and its own pool of a thread per core would only hold memory (per thread, as each has its arenas).
if (!isMainThread) {
  sharp.cache(false);
  sharp.concurrency(1);
}

/**
 * image-4: a slanted ruling bounds its cells and is wiped where it stands along its length; a dashed ruling's
 * residue at a cell's side left out of the crop (image-3: a long image of pages one under another read page by page;
 * worn grids and cell crops repaired; image-2: table cells read by PaddleOCR's recogniser; image-1: tesseract 5);
 * running text by tesseract 5.
 */
export const IMAGE_EXTRACTOR_VERSION = 'image-4';
/** PDF pages are rendered at the resolution most scans are made at; finer costs OCR time for nothing. */
export const SCAN_RENDER_DPI = 150;
/** A resolution outside this is a missing or wrong header (72 = "unknown" for many writers). */
const PLAUSIBLE_DPI: [number, number] = [90, 600];
/** Pages OCRed per image document at most (each costs seconds). */
const MAX_IMAGE_PAGES = 20;

/** The resolution of a scan: its header if plausible, else as if its width were an A4 page's. */
function dpiOf(width: number, density: number | undefined): number {
  if (density && density >= PLAUSIBLE_DPI[0] && density <= PLAUSIBLE_DPI[1]) return density;
  return Math.min(PLAUSIBLE_DPI[1], Math.max(PLAUSIBLE_DPI[0], dpiOfA4Width(width)));
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
    // Pages set one under another (a long image) or two side by side (a sheet) are read as pages of their own.
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.length);
    const stacked = stackedPages({ pixels, width: info.width, height: info.height });
    for (const [part, stackedPage] of stacked.entries()) {
      const sheet = await pagesOfSheet(stackedPage);
      for (const image of sheet.pages) {
        const number = laidOut.length + 1;
        const dpi = dpiOf(image.width, metadata.density);
        const read = await readRgbPage(image.pixels, image.width, image.height, dpi, number);
        const where = [
          ...(sheet.gutter ? [`half ${sheet.pages.indexOf(image) + 1}`] : []),
          ...(stacked.length > 1 ? [`part ${part + 1} from the top`] : []),
        ];
        const of = where.length > 0 ? ` (${where.join(', ')} of image page ${index + 1})` : '';
        warnings.push({
          code: 'OCR',
          message: `page ${number}${of}: image read by OCR at ${dpi} dpi, straightened by ${read.skew.toFixed(2)}°`,
          page: number,
        });
        laidOut.push({ page: read.page, height: read.heightPoints });
      }
    }
  }
  if ((metadata.pages ?? 1) > MAX_IMAGE_PAGES)
    warnings.push({ code: 'NEEDS_OCR', message: `only the first ${MAX_IMAGE_PAGES} of ${metadata.pages} image pages were read` });
  warnings.push(...removeRunningLines(laidOut));
  const pages = laidOut.map((entry) => entry.page);
  renumberTables(pages);
  return { sha256, format: 'image', extractorVersion: IMAGE_EXTRACTOR_VERSION, title: null, pages, warnings };
}

/**
 * Reads the given PDF pages (numbers from 1) as scans: rendered in colour by PDFium, then as image pages. A
 * sheet of two pages gives its two halves, left first, numbered as the PDF's page for now (the caller numbers
 * the document's pages). `linesToo: false` reads only the tables (a page whose text layer already gives its
 * lines), a sheet's halves joined back into its one PDF page.
 */
export async function readPdfScanPages(
  bytes: Uint8Array,
  pageNumbers: number[],
  options: { linesToo: boolean },
): Promise<Map<number, DocumentPage[]>> {
  const results = new Map<number, DocumentPage[]>();
  if (pageNumbers.length === 0) return results;
  await renderPdfPages(
    bytes,
    pageNumbers,
    SCAN_RENDER_DPI,
    async (number, image) => {
      const { pages } = await pagesOfSheet({ pixels: image.pixels, width: image.width, height: image.height });
      const halves = [];
      for (const half of pages)
        halves.push((await readRgbPage(half.pixels, half.width, half.height, SCAN_RENDER_DPI, number, options.linesToo)).page);
      results.set(number, options.linesToo ? halves : [joinHalves(halves, (pages[0]!.width * 72) / SCAN_RENDER_DPI)]);
    },
    'rgb',
  );
  return results;
}
