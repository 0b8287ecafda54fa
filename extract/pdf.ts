/**
 * PDF into the Document model with pdf-parse (its bundled pdfjs): per page, lines rebuilt from positioned text
 * items with their boxes; optionally the ruled tables pdf-parse's getTable() finds.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import type { PDFDocumentProxy, PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { CorruptPdfError, EncryptedPdfError, NoTextLayerError } from './errors.ts';
import { countUnmappedGlyphs, normalizePdfText } from './normalize.ts';
import { buildLines, type PositionedText } from './pdf-lines.ts';
import type { DocumentPage, ExtractedDocument, ExtractWarning, TableBlock } from './types.ts';

export const PDF_EXTRACTOR_VERSION = 'pdf-1';

export interface PdfExtractOptions {
  /**
   * Also emit pdf-parse's getTable() grids as TableBlocks (origin 'pdf-ruling'). Default false: on
   * LibreOffice and Word PDFs it often merges a row's figure cells into one and does not expand spans, and it
   * costs a second pass over every page; the parse stage reads the TAB-separated lines instead.
   */
  rulingTables?: boolean;
}

/**
 * pdfjs's predefined CMaps, from the pdfjs-dist copy pdf-parse itself resolves. Without them, text in fonts
 * with Adobe CJK encodings (UniGB-UCS2-H …) comes out silently empty.
 */
const CMAP_URL = (() => {
  const pdfParseEntry = createRequire(import.meta.url).resolve('pdf-parse');
  const pdfjsPackage = createRequire(pdfParseEntry).resolve('pdfjs-dist/package.json');
  return `${path.join(path.dirname(pdfjsPackage), 'cmaps')}${path.sep}`;
})();
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
}

async function readPageText(page: PDFPageProxy): Promise<PageText> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const textItems = content.items.filter(isTextItem);
  const unmappedGlyphs = textItems.reduce((sum, item) => sum + countUnmappedGlyphs(item.str), 0);
  const items = textItems.map((item) => {
    const [a, b, c, d, e, f] = item.transform as number[];
    const [x, baseline] = viewport.convertToViewportPoint(e ?? 0, f ?? 0) as [number, number];
    const fontSize = Math.hypot(c ?? 0, d ?? 0) || Math.hypot(a ?? 0, b ?? 0) || item.height;
    return { text: normalizePdfText(item.str), x, baseline, width: item.width, fontSize };
  });
  return { items, unmappedGlyphs };
}

interface PageResult {
  page: DocumentPage;
  warnings: ExtractWarning[];
}

async function extractPage(doc: PDFDocumentProxy, number: number): Promise<PageResult> {
  const page = await doc.getPage(number);
  try {
    const { items, unmappedGlyphs } = await readPageText(page);
    const blocks = buildLines(items);
    const warnings: ExtractWarning[] = [];
    if (blocks.length === 0) warnings.push({ code: 'PAGE_WITHOUT_TEXT', message: `page ${number} has no text layer`, page: number });
    if (unmappedGlyphs > 0) {
      const message = `page ${number}: ${unmappedGlyphs} glyph(s) have no Unicode mapping and were dropped`;
      warnings.push({ code: 'UNMAPPED_GLYPHS', message, page: number });
    }
    return { page: { number, blocks }, warnings };
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

/**
 * Extracts a PDF: per page, LineBlocks in reading order with boxes (points, from the top left), cells of a
 * table row separated by TABs; text NFKC-normalised (Kangxi radicals folded). Throws CorruptPdfError,
 * EncryptedPdfError, or NoTextLayerError when no page has any text.
 */
export async function extractPdf(bytes: Uint8Array, sha256: string, options: PdfExtractOptions = {}): Promise<ExtractedDocument> {
  // pdfjs may transfer (detach) the array it is given: hand it a copy, never the caller's bytes.
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
    const pages: DocumentPage[] = [];
    const warnings: ExtractWarning[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      const result = await extractPage(doc, number).catch((error: unknown) => Promise.reject(toPdfError(error)));
      pages.push(result.page);
      warnings.push(...result.warnings);
    }
    if (pages.every((page) => page.blocks.length === 0)) {
      throw new NoTextLayerError(`none of the PDF's ${pages.length} page(s) has a text layer (a scan? OCR is not done)`);
    }
    if (options.rulingTables) await addRulingTables(parser, pages);
    return { sha256, format: 'pdf', extractorVersion: PDF_EXTRACTOR_VERSION, title: documentTitle(info.info), pages, warnings };
  } finally {
    await parser.destroy();
  }
}
