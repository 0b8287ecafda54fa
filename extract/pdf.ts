/**
 * PDF into the Document model. PDFium (WebAssembly) reads the text and positions; pdf.js (pdf-parse) is the
 * second opinion for a PDF PDFium cannot open or reads as garbage on some page (fonts without a usable
 * ToUnicode map, Type 3 fonts). Either engine's text runs go through the same line builder and page clean-up,
 * and the document says which engine read it. Optionally the ruled tables, through pdf-parse's table builder.
 */
import { CorruptPdfError, EncryptedPdfError, ExtractError, GarbledTextError, NoTextLayerError } from './errors.ts';
import { normalizePdfText } from './normalize.ts';
import { removeRepeatedHeadingRows, removeRunningLines, renumberTables, type LaidOutPage } from './pdf-layout.ts';
import { buildLines } from './pdf-lines.ts';
import { isGarbled, PDFJS_FALLBACK, type PageRulingTables, type PageText, type PdfReading } from './pdf-page-text.ts';
import { isPdfiumOutOfMemory } from './pdfium-engine.ts';
import { readPdfWithPdfium } from './pdfium-text.ts';
import { readPdfWithPdfjs } from './pdfjs-text.ts';
import type { DocumentPage, ExtractedDocument, ExtractWarning, TableBlock } from './types.ts';

/**
 * pdf-6: scanned pages' slanted and dashed rulings read as image-4 reads them (pdf-5: grids and cell crops repaired
 * as image-3 does; pdf-4: a page without a text layer that is a sheet of two pages read as two pages; pdf-3: as
 * one); text read by PDFium (pdf.js as the fallback), the document recording the engine.
 */
export const PDF_EXTRACTOR_VERSION = 'pdf-6';

export interface PdfExtractOptions {
  /**
   * Also emit ruled tables as TableBlocks (origin 'pdf-ruling'): the rulings of PDFium's paths (or pdf.js's,
   * after a fallback) through pdf-parse's table builder. Default false: on LibreOffice and Word PDFs it often
   * merges a row's figure cells into one and does not expand spans; the parse stage reads the TAB-separated
   * lines instead.
   */
  rulingTables?: boolean;
  /** OCR pages without a text layer (tesseract.js, offline; seconds per page). Default true. */
  ocr?: boolean;
  /** OCR at most this many pages of a document; the rest get a NEEDS_OCR warning. Default 20. */
  maxOcrPages?: number;
  /** Read with this engine only, no fallback (for comparing the engines). Default: PDFium, then pdf.js. */
  engine?: PdfReading['engine'];
}

const DEFAULT_MAX_OCR_PAGES = 20;

interface PageResult extends LaidOutPage {
  warnings: ExtractWarning[];
  garbled: boolean;
}

/** Why PDFium's reading is not used: it cannot open the PDF, or some page comes out garbled. */
async function pdfiumReadingOrReason(bytes: Uint8Array, options: PdfExtractOptions): Promise<PdfReading | string> {
  try {
    const reading = await readPdfWithPdfium(bytes, options);
    const garbled = reading.pages.flatMap((page, index) => (isGarbled(page) ? [index + 1] : []));
    return garbled.length === 0 ? reading : `PDFium reads page(s) ${garbled.join(', ')} as glyphs without Unicode mapping`;
  } catch (error) {
    // A password is a password to both engines; a bomb would take pdf.js down with the worker.
    if (error instanceof EncryptedPdfError || isPdfiumOutOfMemory(error)) throw error;
    return `PDFium cannot read the PDF: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Reads the PDF with PDFium, or with pdf.js when PDFium fails it (saying why in a PDFJS_FALLBACK warning). */
async function readPdf(bytes: Uint8Array, options: PdfExtractOptions): Promise<{ reading: PdfReading; warnings: ExtractWarning[] }> {
  const pdfium = options.engine === 'pdf.js' ? 'pdf.js asked for' : await pdfiumReadingOrReason(bytes, options);
  if (typeof pdfium !== 'string') return { reading: pdfium, warnings: [] };
  if (options.engine === 'pdfium') throw new CorruptPdfError(pdfium);
  const reading = await readPdfWithPdfjs(bytes, options);
  const warnings = options.engine === 'pdf.js' ? [] : [{ code: PDFJS_FALLBACK, message: `read by pdf.js: ${pdfium}` }];
  return { reading, warnings };
}

function layOutPage(text: PageText, number: number): PageResult {
  const blocks = buildLines(text.items);
  const warnings: ExtractWarning[] = [];
  const garbled = isGarbled(text);
  if (text.unmappedGlyphs > 0) {
    const message = `page ${number}: ${text.unmappedGlyphs} of ${text.rawChars} glyph(s) have no Unicode mapping (CID font garbage) and were dropped`;
    warnings.push({ code: garbled ? 'GARBLED_TEXT' : 'UNMAPPED_GLYPHS', message, page: number });
  }
  return { page: { number, blocks }, height: text.height, warnings, garbled };
}

function toTableBlocks(tables: string[][][], firstIndex: number): TableBlock[] {
  return tables
    .filter((rows) => rows.length > 0)
    .map((rows, offset) => ({
      kind: 'table',
      index: firstIndex + offset,
      origin: 'pdf-ruling',
      rows: rows.map((row) =>
        row.map((text) => ({
          text: normalizePdfText(text)
            .replace(/\s*\n\s*/g, ' ')
            .trim(),
        })),
      ),
    }));
}

/**
 * Appends the ruled grids to their pages (after the lines: the table builder gives no positions to order them
 * by); a RULING_TABLES_FAILED warning for each page the builder failed on.
 */
function addRulingTables(rulingTables: PageRulingTables[], perPdfPage: DocumentPage[][]): ExtractWarning[] {
  let nextIndex = 0;
  const warnings: ExtractWarning[] = [];
  for (const pageTables of rulingTables) {
    const blocks = toTableBlocks(pageTables.tables, nextIndex);
    nextIndex += blocks.length;
    perPdfPage[pageTables.page - 1]?.at(-1)?.blocks.push(...blocks);
    if (pageTables.error)
      warnings.push({
        code: 'RULING_TABLES_FAILED',
        message: `page ${pageTables.page}: the table builder failed: ${pageTables.error}`,
        page: pageTables.page,
      });
  }
  return warnings;
}

/** A page whose text layer is this thin (a title over an image of the table) is checked for a scanned table. */
const THIN_PAGE_CHARS = 200;

function textLength(page: DocumentPage): number {
  return page.blocks.reduce((sum, block) => sum + (block.kind === 'line' ? block.text.length : 1000), 0);
}

/** What OCR made of the PDF's pages: per PDF page, the pages it became (itself, or a two-up sheet's halves). */
interface OcrOutcome {
  perPdfPage: DocumentPage[][];
  warnings: ExtractWarning[];
}

/** The OCR warning of a page without a text layer: read as one page, or as the two pages of its sheet. */
function ocrPageWarning(number: number, read: DocumentPage[]): ExtractWarning {
  const blocks = read.map((page) => page.blocks.length);
  const message =
    read.length === 1
      ? `page ${number} has no text layer: ${blocks[0]} block(s) read by OCR`
      : `page ${number} has no text layer and is a sheet of ${read.length} pages side by side: read by OCR as ${read.length} pages (${blocks.join(' and ')} block(s)), later pages numbered after them`;
  return { code: 'OCR', message, page: number };
}

/**
 * OCRs the pages left without lines (no text layer, or only running headers over an image) as scans, up to the
 * cap: their ruled tables cell by cell, their text as lines; a two-up sheet becomes two pages. Pages with a thin
 * text layer keep it and gain the tables of their image, if any. Warnings give PDF page numbers.
 */
async function ocrEmptyPages(bytes: Uint8Array, pages: DocumentPage[], options: PdfExtractOptions): Promise<OcrOutcome> {
  const perPdfPage = pages.map((page) => [page]);
  const empty = pages.filter((page) => page.blocks.length === 0).map((page) => page.number);
  const thin = pages.filter((page) => page.blocks.length > 0 && textLength(page) < THIN_PAGE_CHARS).map((page) => page.number);
  if (empty.length === 0 && thin.length === 0) return { perPdfPage, warnings: [] };
  const cap = options.ocr === false ? 0 : (options.maxOcrPages ?? DEFAULT_MAX_OCR_PAGES);
  const chosen = empty.slice(0, cap);
  const chosenThin = thin.slice(0, Math.max(0, cap - chosen.length));
  const warnings: ExtractWarning[] = empty.slice(cap).map((number) => ({
    code: 'NEEDS_OCR',
    message: `page ${number} has no text layer and was not OCRed (${options.ocr === false ? 'OCR disabled' : `over the cap of ${cap} pages`})`,
    page: number,
  }));
  if (chosen.length === 0 && chosenThin.length === 0) return { perPdfPage, warnings };
  try {
    // The OCR modules (sharp, tesseract, onnxruntime: ~17 MB resident) load with the first page that needs them,
    // so a worker that meets only PDFs with a text layer never maps them.
    const { readPdfScanPages } = await import('./scan.ts');
    const scanned = await readPdfScanPages(bytes, chosen, { linesToo: true });
    const tablesOnly = await readPdfScanPages(bytes, chosenThin, { linesToo: false });
    for (const page of pages) {
      const read = scanned.get(page.number);
      const tables = tablesOnly.get(page.number)?.flatMap((tablePage) => tablePage.blocks) ?? [];
      if (read) {
        perPdfPage[page.number - 1] = read;
        warnings.push(ocrPageWarning(page.number, read));
      } else if (tables.length > 0) {
        page.blocks.push(...tables);
        warnings.push({
          code: 'OCR',
          message: `page ${page.number}: ${tables.length} table(s) read by OCR from the image under its thin text layer`,
          page: page.number,
        });
      }
    }
  } catch (error) {
    // A timeout is the machine's state, not the document's: the job is retried rather than failed for good.
    if (error instanceof ExtractError && error.retryable) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    warnings.push(
      ...chosen.map((number) => ({ code: 'NEEDS_OCR', message: `page ${number} has no text layer; OCR failed: ${detail}`, page: number })),
    );
  }
  return { perPdfPage, warnings };
}

/** A page takes its number in the document, and the boxes of its OCRed cells with it. */
function renumberPage(page: DocumentPage, number: number): void {
  page.number = number;
  for (const block of page.blocks)
    if (block.kind === 'table') for (const cell of block.rows.flat()) if (cell.ocr) cell.ocr.box.page = number;
}

/**
 * Numbers the document's pages in order, each half of a two-up sheet counting as a page; returns the document
 * page each PDF page starts at.
 */
function numberPages(perPdfPage: DocumentPage[][]): Map<number, number> {
  const firstPageOf = new Map<number, number>();
  let next = 1;
  perPdfPage.forEach((pages, index) => {
    firstPageOf.set(index + 1, next);
    for (const page of pages) renumberPage(page, next++);
  });
  return firstPageOf;
}

/** Warnings given with PDF page numbers, moved to the document's where they differ (the PDF's kept in the message). */
function toDocumentPageNumbers(warnings: ExtractWarning[], firstPageOf: Map<number, number>): ExtractWarning[] {
  return warnings.map((warning) => {
    const number = warning.page === undefined ? undefined : firstPageOf.get(warning.page);
    if (number === undefined || number === warning.page) return warning;
    return { ...warning, page: number, message: warning.message.replace(/^page \d+/, `page ${number} (PDF page ${warning.page})`) };
  });
}

/**
 * Extracts a PDF: per page, LineBlocks in reading order with boxes (points, from the top left), cells of a
 * table row separated by TABs; text NFKC-normalised (Kangxi radicals folded); running headers/footers and
 * repeated table heading rows removed; pages without a text layer OCRed. Throws CorruptPdfError,
 * EncryptedPdfError, GarbledTextError, or NoTextLayerError when no page has any text, even by OCR.
 */
export async function extractPdf(bytes: Uint8Array, sha256: string, options: PdfExtractOptions = {}): Promise<ExtractedDocument> {
  const { reading, warnings } = await readPdf(bytes, options);
  const results = reading.pages.map((text, index) => layOutPage(text, index + 1));
  warnings.push(...results.flatMap((result) => result.warnings));
  if (results.every((result) => result.garbled || result.page.blocks.length === 0) && results.some((result) => result.garbled)) {
    throw new GarbledTextError(`the PDF's text is CID-font garbage (glyphs without Unicode mapping) on every page with text`);
  }
  warnings.push(...removeRunningLines(results), ...removeRepeatedHeadingRows(results));
  const ocr = await ocrEmptyPages(
    bytes,
    results.map((result) => result.page),
    options,
  );
  warnings.push(...ocr.warnings);
  const pages = ocr.perPdfPage.flat();
  if (pages.every((page) => page.blocks.length === 0)) {
    throw new NoTextLayerError(
      `none of the PDF's ${results.length} page(s) has a text layer, and OCR found no text (${warnings.map((w) => w.code).join(', ') || 'no warnings'})`,
    );
  }
  warnings.push(...addRulingTables(reading.rulingTables, ocr.perPdfPage));
  const firstPageOf = numberPages(ocr.perPdfPage);
  renumberTables(pages);
  return {
    sha256,
    format: 'pdf',
    extractorVersion: PDF_EXTRACTOR_VERSION,
    engine: reading.engine,
    title: reading.title,
    pages,
    warnings: toDocumentPageNumbers(warnings, firstPageOf),
  };
}
