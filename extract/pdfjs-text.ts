/**
 * A PDF's text through pdf.js (pdf-parse's bundled pdfjs-dist): the second opinion for PDFs PDFium cannot open
 * or reads as garbage; its ruled tables then come from pdf-parse's getTable().
 */
import path from 'node:path';
import type { PDFParse } from 'pdf-parse';
import type { PDFDocumentProxy, PDFPageProxy, TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { CorruptPdfError, EncryptedPdfError } from './errors.ts';
import { countUnmappedGlyphs, normalizePdfText } from './normalize.ts';
import { cleanPdfTitle, type PageRulingTables, type PageText, type PdfReading } from './pdf-page-text.ts';
import { loadPdfParse, resolvePdfjsFile } from './pdf-parse-loader.ts';

/**
 * pdfjs's predefined CMaps, from the pdfjs-dist copy pdf-parse itself resolves. Without them, text in fonts
 * with Adobe CJK encodings (UniGB-UCS2-H …) comes out silently empty.
 */
const CMAP_URL = `${path.join(path.dirname(resolvePdfjsFile('package.json')), 'cmaps')}${path.sep}`;
const STANDARD_FONTS_URL = `${path.join(path.dirname(CMAP_URL), 'standard_fonts')}${path.sep}`;

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

function isTextItem(item: object): item is TextItem {
  return 'str' in item;
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

async function readPage(doc: PDFDocumentProxy, number: number): Promise<PageText> {
  const page = await doc.getPage(number);
  try {
    return await readPageText(page);
  } finally {
    page.cleanup();
  }
}

/** getTable()'s grids: a second pass over every page. It throws on some grids, and then no page has tables. */
async function readRulingTables(parser: PDFParse, pageCount: number): Promise<PageRulingTables[]> {
  try {
    return (await parser.getTable()).pages.map(({ num, tables }) => ({ page: num, tables }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return Array.from({ length: pageCount }, (_, index) => ({ page: index + 1, tables: [], error: message }));
  }
}

/**
 * Reads every page's text items and the title with pdf.js; with `rulingTables`, also getTable()'s grids.
 * Throws CorruptPdfError or EncryptedPdfError.
 */
export async function readPdfWithPdfjs(bytes: Uint8Array, options: { rulingTables?: boolean } = {}): Promise<PdfReading> {
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
    const pages: PageText[] = [];
    for (let number = 1; number <= doc.numPages; number++) {
      pages.push(await readPage(doc, number).catch((error: unknown) => Promise.reject(toPdfError(error))));
    }
    const rulingTables = options.rulingTables ? await readRulingTables(parser, doc.numPages) : [];
    return { engine: 'pdf.js', title: cleanPdfTitle((info.info as { Title?: unknown } | undefined)?.Title), pages, rulingTables };
  } finally {
    await parser.destroy();
  }
}
