/**
 * PDF into the Document model with pdf-parse (its bundled pdfjs): per page, lines rebuilt from positioned text
 * items with their boxes; optionally the ruled tables pdf-parse's getTable() finds.
 */
import path from 'node:path';
import type { PDFParse } from 'pdf-parse';
import type { PDFDocumentProxy, PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { CorruptPdfError, EncryptedPdfError, GarbledTextError, NoTextLayerError } from './errors.ts';
import { countUnmappedGlyphs, normalizePdfText } from './normalize.ts';
import { ocrPdfPages } from './ocr.ts';
import { loadPdfParse, resolvePdfjsFile } from './pdf-parse-loader.ts';
import { removeRepeatedHeadingRows, removeRunningLines, type LaidOutPage } from './pdf-layout.ts';
import { buildLines, type PositionedText } from './pdf-lines.ts';
import type { DocumentPage, ExtractedDocument, ExtractWarning, TableBlock } from './types.ts';

export const PDF_EXTRACTOR_VERSION = 'pdf-2';

export interface PdfExtractOptions {
  /**
   * Also emit pdf-parse's getTable() grids as TableBlocks (origin 'pdf-ruling'). Default false: on
   * LibreOffice and Word PDFs it often merges a row's figure cells into one and does not expand spans, and it
   * costs a second pass over every page; the parse stage reads the TAB-separated lines instead.
   */
  rulingTables?: boolean;
  /** OCR pages without a text layer (tesseract.js, offline; seconds per page). Default true. */
  ocr?: boolean;
  /** OCR at most this many pages of a document; the rest get a NEEDS_OCR warning. Default 20. */
  maxOcrPages?: number;
}

const DEFAULT_MAX_OCR_PAGES = 20;
/** A page whose raw text has more unmapped glyphs than this share is garbled. */
const GARBLED_PAGE_SHARE = 0.1;

/**
 * pdfjs's predefined CMaps, from the pdfjs-dist copy pdf-parse itself resolves. Without them, text in fonts
 * with Adobe CJK encodings (UniGB-UCS2-H …) comes out silently empty.
 */
const CMAP_URL = `${path.join(path.dirname(resolvePdfjsFile('package.json')), 'cmaps')}${path.sep}`;
const STANDARD_FONTS_URL = `${path.join(path.dirname(CMAP_URL), 'standard_fonts')}${path.sep}`;

/** Titles that editors leave in the info dictionary and that say nothing about the document. */
const MEANINGLESS_TITLE = /^(untitled|无标题|microsoft word - .*|document\d*|\d+)$/i;

/** pdf-parse keeps the loaded pdfjs document private; getInfo() loads it and this reads it back. */
function loadedDocument(parser: PDFParse): PDFDocumentProxy {
  const doc = (parser as unknown as { doc?: PDFDocumentProxy }).doc;
  if (!doc) throw new CorruptPdfError('pdf-parse returned no document after loading the PDF');
  return doc;
}

/** Maps pdf-parse/pdfjs exceptions (matched by name: pdf-parse re-creates them) to the extract errors. */
function toPdfError(error: unknown): Error {
  if (error instanceof CorruptPdfError || error instanceof EncryptedPdfError) return error;
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException') {
    return new EncryptedPdfError(`the PDF is encrypted and needs a password to open (${detail})`, { cause: error });
  }
  return new CorruptPdfError(`the PDF cannot be parsed: ${detail}`, { cause: error });
}

function documentTitle(info: unknown): string | null {
  const raw = (info as { Title?: unknown } | undefined)?.Title;
  if (typeof raw !== 'string') return null;
  const title = normalizePdfText(raw).replace(/\s+/g, ' ').trim();
  return title === '' || MEANINGLESS_TITLE.test(title) ? null : title;
}

function isTextItem(item: object): item is TextItem {
  return 'str' in item;
}

interface PageText {
  items: PositionedText[];
  unmappedGlyphs: number;
  /** Non-blank characters of the raw text, unmapped glyphs included. */
  rawChars: number;
  height: number;
}

async function readPageText(page: PDFPageProxy): Promise<PageText> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const textItems = content.items.filter(isTextItem);
  const unmappedGlyphs = textItems.reduce((sum, item) => sum + countUnmappedGlyphs(item.str), 0);
  const rawChars = textItems.reduce((sum, item) => sum + item.str.replace(/\s/g, '').length, 0);
  const items = textItems.map((item) => {
    const [a, b, c, d, e, f] = item.transform as number[];
    const [x, baseline] = viewport.convertToViewportPoint(e ?? 0, f ?? 0) as [number, number];
    const fontSize = Math.hypot(c ?? 0, d ?? 0) || Math.hypot(a ?? 0, b ?? 0) || item.height;
    return { text: normalizePdfText(item.str), x, baseline, width: item.width, fontSize };
  });
  return { items, unmappedGlyphs, rawChars, height: viewport.height };
}

interface PageResult extends LaidOutPage {
  warnings: ExtractWarning[];
  garbled: boolean;
}

async function extractPage(doc: PDFDocumentProxy, number: number): Promise<PageResult> {
  const page = await doc.getPage(number);
  try {
    const { items, unmappedGlyphs, rawChars, height } = await readPageText(page);
    const blocks = buildLines(items);
    const warnings: ExtractWarning[] = [];
    const garbled = unmappedGlyphs > rawChars * GARBLED_PAGE_SHARE;
    if (unmappedGlyphs > 0) {
      const message = `page ${number}: ${unmappedGlyphs} of ${rawChars} glyph(s) have no Unicode mapping (CID font garbage) and were dropped`;
      warnings.push({ code: garbled ? 'GARBLED_TEXT' : 'UNMAPPED_GLYPHS', message, page: number });
    }
    return { page: { number, blocks }, height, warnings, garbled };
  } finally {
    page.cleanup();
  }
}

function toTableBlocks(tables: string[][][], firstIndex: number): TableBlock[] {
  return tables
    .filter((rows) => rows.length > 0)
    .map((rows, offset) => ({
      kind: 'table',
      index: firstIndex + offset,
      origin: 'pdf-ruling',
      rows: rows.map((row) => row.map((text) => ({ text: normalizePdfText(text).replace(/\s*\n\s*/g, ' ').trim() }))),
    }));
}

/** Appends getTable()'s grids to their pages (after the lines: getTable gives no positions to order them by). */
async function addRulingTables(parser: PDFParse, pages: DocumentPage[]): Promise<void> {
  const result = await parser.getTable();
  let nextIndex = 0;
  for (const pageTables of result.pages) {
    const blocks = toTableBlocks(pageTables.tables, nextIndex);
    nextIndex += blocks.length;
    pages.find((page) => page.number === pageTables.num)?.blocks.push(...blocks);
  }
}

/** OCRs the pages left without lines (no text layer, or only running headers over an image), up to the cap. */
async function ocrEmptyPages(bytes: Uint8Array, pages: DocumentPage[], options: PdfExtractOptions): Promise<ExtractWarning[]> {
  const empty = pages.filter((page) => page.blocks.length === 0).map((page) => page.number);
  if (empty.length === 0) return [];
  const cap = options.ocr === false ? 0 : (options.maxOcrPages ?? DEFAULT_MAX_OCR_PAGES);
  const chosen = empty.slice(0, cap);
  const warnings: ExtractWarning[] = empty.slice(cap).map((number) => ({
    code: 'NEEDS_OCR',
    message: `page ${number} has no text layer and was not OCRed (${options.ocr === false ? 'OCR disabled' : `over the cap of ${cap} pages`})`,
    page: number,
  }));
  if (chosen.length === 0) return warnings;
  try {
    const lines = await ocrPdfPages(bytes, chosen);
    for (const page of pages) {
      const ocrLines = lines.get(page.number);
      if (!ocrLines) continue;
      page.blocks = ocrLines;
      warnings.push({ code: 'OCR', message: `page ${page.number} has no text layer: ${ocrLines.length} line(s) read by OCR`, page: page.number });
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    warnings.push(...chosen.map((number) => ({ code: 'NEEDS_OCR', message: `page ${number} has no text layer; OCR failed: ${detail}`, page: number })));
  }
  return warnings;
}

/**
 * Extracts a PDF: per page, LineBlocks in reading order with boxes (points, from the top left), cells of a
 * table row separated by TABs; text NFKC-normalised (Kangxi radicals folded); running headers/footers and
 * repeated table heading rows removed; pages without a text layer OCRed. Throws CorruptPdfError,
 * EncryptedPdfError, GarbledTextError, or NoTextLayerError when no page has any text, even by OCR.
 */
export async function extractPdf(bytes: Uint8Array, sha256: string, options: PdfExtractOptions = {}): Promise<ExtractedDocument> {
  // pdfjs may transfer (detach) the array it is given: hand it a copy, never the caller's bytes.
  const { PDFParse } = await loadPdfParse();
  const parser = new PDFParse({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS_URL,
    isEvalSupported: false,
  });
  try {
    const info = await parser.getInfo().catch((error: unknown) => Promise.reject(toPdfError(error)));
    const doc = loadedDocument(parser);
    if (doc.numPages === 0) throw new CorruptPdfError('the PDF has no pages');
    const results: PageResult[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      results.push(await extractPage(doc, number).catch((error: unknown) => Promise.reject(toPdfError(error))));
    }
    const warnings = results.flatMap((result) => result.warnings);
    if (results.every((result) => result.garbled || result.page.blocks.length === 0) && results.some((result) => result.garbled)) {
      throw new GarbledTextError(`the PDF's text is CID-font garbage (glyphs without Unicode mapping) on every page with text`);
    }
    warnings.push(...removeRunningLines(results), ...removeRepeatedHeadingRows(results));
    const pages = results.map((result) => result.page);
    warnings.push(...(await ocrEmptyPages(bytes, pages, options)));
    if (pages.every((page) => page.blocks.length === 0)) {
      throw new NoTextLayerError(`none of the PDF's ${pages.length} page(s) has a text layer, and OCR found no text (${warnings.map((w) => w.code).join(', ') || 'no warnings'})`);
    }
    if (options.rulingTables) await addRulingTables(parser, pages);
    return { sha256, format: 'pdf', extractorVersion: PDF_EXTRACTOR_VERSION, title: documentTitle(info.info), pages, warnings };
  } finally {
    await parser.destroy();
  }
}
