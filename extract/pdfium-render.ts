/**
 * Page images through PDFium, for OCR: each page rendered to an 8-bit grayscale bitmap and handed over as a
 * binary PGM (which tesseract.js's Leptonica reads without an image library), so OCR needs no poppler.
 */
import { heapOf, withPdfiumDocument, type PdfiumDocument } from './pdfium-engine.ts';

const POINTS_PER_INCH = 72;
/** FPDFBitmap_Create without alpha: 4 bytes a pixel, B G R x. */
const BYTES_PER_PIXEL = 4;
const WHITE = 0xffffffff;
/** FPDF_ANNOT (form fields and stamps drawn too) | FPDF_PRINTING (print appearance, no screen-only marks). */
const RENDER_FLAGS = 0x01 | 0x800;
/** Widest side of a rendered page in pixels: a poster-sized page is scaled down instead of filling memory. */
const MAX_SIDE_PIXELS = 6000;

/** A grayscale page image, one byte a pixel, rows top to bottom. */
export interface GrayImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Pixels per point, as rendered (dpi / 72, unless the page was too large). */
  scale: number;
}

/**
 * Renders the given pages (numbers from 1) at `dpi` and passes each image to `onPage`, one page at a time, so
 * at most one bitmap is alive: grayscale (one byte a pixel), or `rgb` (3 bytes a pixel) — scans are read in colour,
 * so that a red seal can be told from the black ink under it. Throws CorruptPdfError or EncryptedPdfError when
 * PDFium cannot open the PDF.
 */
export function renderPdfPages(
  bytes: Uint8Array,
  pageNumbers: number[],
  dpi: number,
  onPage: (pageNumber: number, image: GrayImage) => Promise<void>,
  pixels: 'gray' | 'rgb' = 'gray',
): Promise<void> {
  const convert = pixels === 'rgb' ? toRgb : toGray;
  return withPdfiumDocument(bytes, async (document) => {
    for (const pageNumber of pageNumbers) {
      if (pageNumber < 1 || pageNumber > document.pageCount) continue;
      await onPage(pageNumber, renderPage(document, pageNumber - 1, dpi, convert));
    }
  });
}

type PixelConverter = (bgrx: Uint8Array, width: number, height: number, stride: number) => Uint8Array;

function renderPage(document: PdfiumDocument, index: number, dpi: number, convert: PixelConverter): GrayImage {
  const { module } = document;
  const page = document.loadPage(index);
  try {
    const widthPoints = module.FPDF_GetPageWidthF(page);
    const heightPoints = module.FPDF_GetPageHeightF(page);
    const scale = Math.min(dpi / POINTS_PER_INCH, MAX_SIDE_PIXELS / Math.max(widthPoints, heightPoints, 1));
    const width = Math.max(1, Math.round(widthPoints * scale));
    const height = Math.max(1, Math.round(heightPoints * scale));
    const bitmap = module.FPDFBitmap_Create(width, height, 0);
    if (bitmap === 0) throw new RangeError(`PDFium cannot allocate a ${width}×${height} bitmap`);
    try {
      module.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, WHITE);
      module.FPDF_RenderPageBitmap(bitmap, page, 0, 0, width, height, 0, RENDER_FLAGS);
      const stride = module.FPDFBitmap_GetStride(bitmap);
      const buffer = module.FPDFBitmap_GetBuffer(bitmap);
      return { width, height, pixels: convert(heapOf(module).subarray(buffer, buffer + stride * height), width, height, stride), scale };
    } finally {
      module.FPDFBitmap_Destroy(bitmap);
    }
  } finally {
    document.closePage(page);
  }
}

/** BGRx to luma (ITU-R BT.601 weights, in integers). */
function toGray(bgrx: Uint8Array, width: number, height: number, stride: number): Uint8Array {
  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    for (let x = 0; x < width; x++) {
      const pixel = row + x * BYTES_PER_PIXEL;
      gray[y * width + x] = (bgrx[pixel]! * 29 + bgrx[pixel + 1]! * 150 + bgrx[pixel + 2]! * 77) >> 8;
    }
  }
  return gray;
}

/** BGRx to RGB. */
function toRgb(bgrx: Uint8Array, width: number, height: number, stride: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const pixel = y * stride + x * BYTES_PER_PIXEL;
      const target = (y * width + x) * 3;
      rgb[target] = bgrx[pixel + 2]!;
      rgb[target + 1] = bgrx[pixel + 1]!;
      rgb[target + 2] = bgrx[pixel]!;
    }
  }
  return rgb;
}

/** The image as a binary PGM (P5) file. */
export function encodePgm(image: GrayImage): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  return Buffer.concat([header, image.pixels]);
}
