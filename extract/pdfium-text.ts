/**
 * A PDF's text through PDFium: per page, the characters in content order with their origins and advances,
 * grouped into runs the way pdf.js groups glyphs into text items (same font, size and baseline, gaps under
 * 0.6 em, a space where the gap is a word space; a column of characters set one under another is one run),
 * and placed through pdf.js's viewport transform, so the line builder sees what it sees from pdf.js and the
 * lines and cells come out the same.
 */
import { countUnmappedGlyphs, normalizePdfText } from './normalize.ts';
import { cleanPdfTitle, type PageRulingTables, type PageText, type PdfReading } from './pdf-page-text.ts';
import { loadPdfParse } from './pdf-parse-loader.ts';
import type { PositionedText } from './pdf-lines.ts';
import { charFunctionsOf, heapFloat32, heapFloat64, withPdfiumDocument, type PdfiumDocument, type PdfiumModule } from './pdfium-engine.ts';
import { findRulingTables, type TableGeometry } from './pdfium-rulings.ts';

/**
 * A gap of at least this many ems inside a run is a word space, as between runs in the line builder. pdf.js
 * starts at 0.102 em inside its items, but it also ends an item at every graphics-state restore (Q), which
 * PDFium does not report: LibreOffice draws each run between q and Q, so its "1日" (0.195 em apart) must stay
 * unspaced. The price: letter-spaced headings ("结 果", 0.13 em) come out unspaced where pdf.js spaced them.
 */
const SPACE_IN_RUN_MIN_EM = 0.2;
/** A wider gap ends the run (pdf.js's SPACE_IN_FLOW_MAX_FACTOR): the line builder then decides space or TAB. */
const SPACE_IN_RUN_MAX_EM = 0.6;
/** Default vertical metrics of CID fonts (DW2 [880 -1000]): the vertical origin is 0.88 em above the baseline. */
const VERTICAL_ORIGIN_EM = 0.88;
/** Ideographs and full-width forms advance one em; PDFium's loose box can overshoot that by the glyph's ink. */
const FULL_WIDTH = /[\u2e80-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6]/;
/** A glyph whose baseline moves by more than this share of the font size starts a new run. */
const BASELINE_SHIFT_EM = 0.25;
/** Heap bytes for the out-parameters of one call (a rectangle of four floats, a matrix of six, two doubles; 8-aligned). */
const SCRATCH_BYTES = 32;
const REPLACEMENT_CHARACTER = '\ufffd';

/** The page-to-viewport transform pdf.js's PageViewport applies at scale 1 (crop box, /Rotate). */
type Transform = [number, number, number, number, number, number];

interface PageFrame {
  transform: Transform;
  height: number;
}

/** A character in text space: PDF user space with y negated, so that baselines grow down the page as in the viewport. */
interface Glyph {
  char: string;
  /** PDFium's font handle: pdf.js starts a new text item at every change of font, so runs do too. */
  font: number;
  x: number;
  right: number;
  baseline: number;
  fontSize: number;
}

interface Run {
  raw: string;
  font: number;
  x: number;
  right: number;
  baseline: number;
  /** Baseline of the run's last glyph (below the first in a vertical run). */
  lastBaseline: number;
  fontSize: number;
  vertical: boolean;
}

/**
 * Pages read per opening of the document. PDFium keeps every font a document uses until it is closed, and
 * the wasm heap never shrinks: reopening a long PDF every so many pages keeps the heap near what a short one
 * needs (at the price of loading its fonts again).
 */
const PAGES_PER_OPENING = 16;

/**
 * Reads every page's text runs and the document title; with `rulingTables`, also the ruled tables (built by
 * pdf-parse's table builder from PDFium's paths). Throws what withPdfiumDocument throws.
 */
export async function readPdfWithPdfium(bytes: Uint8Array, options: { rulingTables?: boolean } = {}): Promise<PdfReading> {
  const geometry = options.rulingTables ? await loadPdfParse() : null;
  return withPdfiumDocument(bytes, (document) => {
    const title = cleanPdfTitle(readMetaText(document, 'Title'));
    const scratch = document.malloc(SCRATCH_BYTES);
    const pages: PageText[] = [];
    const rulingTables: PageRulingTables[] = [];
    for (let index = 0; index < document.pageCount; index++) {
      if (index > 0 && index % PAGES_PER_OPENING === 0) document.reopen();
      const { text, tables } = readPage(document, index, scratch, geometry);
      pages.push(text);
      if (tables) rulingTables.push({ page: index + 1, ...tables });
    }
    return { engine: 'pdfium', title, pages, rulingTables };
  });
}

function readPage(
  document: PdfiumDocument,
  index: number,
  scratch: number,
  geometry: TableGeometry | null,
): { text: PageText; tables?: Omit<PageRulingTables, 'page'> } {
  const { module } = document;
  const page = document.loadPage(index);
  try {
    const frame = pageFrame(module, page, scratch);
    const textPage = module.FPDFText_LoadPage(page);
    try {
      const text = toPageText(groupIntoRuns(readGlyphs(module, textPage, scratch)), frame);
      if (!geometry) return { text };
      try {
        return { text, tables: { tables: findRulingTables(module, page, frame.transform, text.items, geometry, scratch) } };
      } catch (error) {
        return { text, tables: { tables: [], error: error instanceof Error ? error.message : String(error) } };
      }
    } finally {
      if (textPage !== 0) module.FPDFText_ClosePage(textPage);
    }
  } finally {
    document.closePage(page);
  }
}

/** The visible box (crop box within the media box) and rotation, as pdf.js's viewport at scale 1 sees them. */
function pageFrame(module: PdfiumModule, page: number, scratch: number): PageFrame {
  const media = readBox(module, scratch, (l, b, r, t) => module.FPDFPage_GetMediaBox(page, l, b, r, t)) ?? [
    0,
    0,
    module.FPDF_GetPageWidthF(page),
    module.FPDF_GetPageHeightF(page),
  ];
  const crop = readBox(module, scratch, (l, b, r, t) => module.FPDFPage_GetCropBox(page, l, b, r, t)) ?? media;
  const view = [
    Math.max(crop[0], media[0]),
    Math.max(crop[1], media[1]),
    Math.min(crop[2], media[2]),
    Math.min(crop[3], media[3]),
  ] as const;
  return viewportFrame(view, (module.FPDFPage_GetRotation(page) % 4) * 90);
}

/** pdf.js PageViewport's transform for scale 1 (display/display_utils.js), so positions match its items'. */
function viewportFrame(view: readonly [number, number, number, number], rotation: number): PageFrame {
  const [xMin, yMin, xMax, yMax] = view;
  const [a, b, c, d] = ({ 90: [0, 1, 1, 0], 180: [-1, 0, 0, 1], 270: [0, -1, -1, 0] } as Record<number, number[]>)[rotation] ?? [
    1, 0, 0, -1,
  ];
  const centerX = (xMin + xMax) / 2;
  const centerY = (yMin + yMax) / 2;
  const sideways = a === 0;
  const offsetX = sideways ? Math.abs(centerY - yMin) : Math.abs(centerX - xMin);
  const offsetY = sideways ? Math.abs(centerX - xMin) : Math.abs(centerY - yMin);
  const transform: Transform = [a!, b!, c!, d!, offsetX - a! * centerX - c! * centerY, offsetY - b! * centerX - d! * centerY];
  return { transform, height: sideways ? xMax - xMin : yMax - yMin };
}

function apply([a, b, c, d, e, f]: Transform, x: number, y: number): [number, number] {
  return [a * x + c * y + e, b * x + d * y + f];
}

function readBox(
  module: PdfiumModule,
  scratch: number,
  get: (l: number, b: number, r: number, t: number) => boolean,
): [number, number, number, number] | null {
  if (!get(scratch, scratch + 4, scratch + 8, scratch + 12)) return null;
  const [left, bottom, right, top] = [0, 1, 2, 3].map((index) => heapFloat32(module, scratch, index)) as [number, number, number, number];
  return [Math.min(left, right), Math.min(bottom, top), Math.max(left, right), Math.max(bottom, top)];
}

/** Every drawn character with its origin, advance and font size, in text space. */
function readGlyphs(module: PdfiumModule, textPage: number, scratch: number): Glyph[] {
  if (textPage === 0) return [];
  const pdfium = charFunctionsOf(module);
  const count = pdfium.FPDFText_CountChars(textPage);
  const glyphs: Glyph[] = [];
  let lastTextObject = -1;
  let font = 0;
  let scale = 1;
  for (let index = 0; index < count; index++) {
    // Characters PDFium makes up (the spaces and line breaks it infers) are skipped: runs and lines add their own.
    if (pdfium.FPDFText_IsGenerated(textPage, index) === 1) continue;
    const code = pdfium.FPDFText_GetUnicode(textPage, index);
    const unmapped = pdfium.FPDFText_HasUnicodeMapError(textPage, index) === 1;
    const char = unmapped || code === 0 ? REPLACEMENT_CHARACTER : String.fromCodePoint(code);
    if (pdfium.FPDFText_GetCharOrigin(textPage, index, scratch, scratch + 8) === 0) continue;
    const originX = heapFloat64(module, scratch);
    const originY = heapFloat64(module, scratch, 1);
    let right = originX;
    if (pdfium.FPDFText_GetLooseCharBox(textPage, index, scratch) !== 0) {
      right = Math.max(originX, heapFloat32(module, scratch, 2)); // left, top, right, bottom
    }
    const textObject = pdfium.FPDFText_GetTextObject(textPage, index);
    if (textObject !== lastTextObject) {
      lastTextObject = textObject;
      font = textObject === 0 ? 0 : pdfium.FPDFTextObj_GetFont(textObject);
      scale = pdfium.FPDFText_GetMatrix(textPage, index, scratch) !== 0 ? verticalScale(module, scratch) : 1;
    }
    const fontSize = pdfium.FPDFText_GetFontSize(textPage, index) * scale;
    if (FULL_WIDTH.test(char)) right = originX + fontSize;
    glyphs.push({ char, font, x: originX, right, baseline: -originY, fontSize });
  }
  return glyphs;
}

/**
 * PDFium's font size is the Tf operand; pdf.js's is the size on the page (text matrix times CTM), e.g. 16 pt
 * for Word's 21.33 under its 0.75 px-to-pt CTM. The character's matrix (a, b, c, d, e, f at `matrix`) gives the scale.
 */
function verticalScale(module: PdfiumModule, matrix: number): number {
  const [a, b, c, d] = [0, 1, 2, 3].map((index) => heapFloat32(module, matrix, index)) as [number, number, number, number];
  return Math.hypot(c, d) || Math.hypot(a, b) || 1;
}

/** Glyphs into pdf.js-like runs: a run ends at a change of font, size or baseline, or a gap over 0.6 em. */
function groupIntoRuns(glyphs: Glyph[]): Run[] {
  const runs: Run[] = [];
  let run: Run | undefined;
  for (const glyph of glyphs) {
    if (run && continuesAcross(run, glyph)) {
      const wordSpace =
        glyph.x - run.right >= SPACE_IN_RUN_MIN_EM * Math.max(glyph.fontSize, 1) && !/\s$/.test(run.raw) && !/^\s/.test(glyph.char);
      run.raw += (wordSpace ? ' ' : '') + glyph.char;
      run.right = Math.max(run.right, glyph.right);
    } else if (run && continuesDown(run, glyph)) {
      run.raw += glyph.char;
      run.vertical = true;
      run.lastBaseline = glyph.baseline;
    } else {
      run = {
        raw: glyph.char,
        font: glyph.font,
        x: glyph.x,
        right: glyph.right,
        baseline: glyph.baseline,
        lastBaseline: glyph.baseline,
        fontSize: glyph.fontSize,
        vertical: false,
      };
      runs.push(run);
    }
  }
  return runs;
}

function sameStyle(run: Run, glyph: Glyph): boolean {
  return run.font === glyph.font && Math.abs(run.fontSize - glyph.fontSize) < 0.01 * Math.max(glyph.fontSize, 1);
}

/** The next glyph of a horizontal run: same baseline, gap under 0.6 em (and not far back). */
function continuesAcross(run: Run, glyph: Glyph): boolean {
  const em = Math.max(glyph.fontSize, 1);
  const gap = glyph.x - run.right;
  return (
    !run.vertical &&
    sameStyle(run, glyph) &&
    Math.abs(run.baseline - glyph.baseline) <= BASELINE_SHIFT_EM * em &&
    gap > -SPACE_IN_RUN_MAX_EM * em &&
    gap <= SPACE_IN_RUN_MAX_EM * em
  );
}

/**
 * The next glyph of a column of characters (a table's row label set vertically, one character per line):
 * pdf.js gives such a column as one text item, so it stays one run instead of one line per character.
 */
function continuesDown(run: Run, glyph: Glyph): boolean {
  const em = Math.max(glyph.fontSize, 1);
  const step = glyph.baseline - run.lastBaseline;
  return (
    (run.vertical || [...run.raw].length === 1) &&
    sameStyle(run, glyph) &&
    Math.abs(glyph.x - run.x) < 0.1 * em &&
    step > 0.5 * em &&
    step < 1.5 * em
  );
}

/** Runs, built in text space, placed on the page as pdf.js places its items: origin through the viewport. */
function toPageText(runs: Run[], frame: PageFrame): PageText {
  let unmappedGlyphs = 0;
  let rawChars = 0;
  const items: PositionedText[] = runs.map((run) => {
    unmappedGlyphs += countUnmappedGlyphs(run.raw);
    rawChars += run.raw.replace(/\s/g, '').length;
    const text = normalizePdfText(run.raw);
    // pdf.js places a column at its first glyph's vertical-writing origin: the default metrics (DW2 [880 -1000])
    // put it half an em right of and 0.88 em above the horizontal origin PDFium reports.
    const [originX, originY] = run.vertical
      ? [run.x + run.fontSize / 2, -run.baseline + VERTICAL_ORIGIN_EM * run.fontSize]
      : [run.x, -run.baseline];
    const [x, baseline] = apply(frame.transform, originX, originY);
    return { text, x, baseline, width: run.vertical ? run.fontSize : run.right - run.x, fontSize: run.fontSize };
  });
  return { items, unmappedGlyphs, rawChars, height: frame.height };
}

/** A document information entry (UTF-16LE from PDFium), or null when absent. */
function readMetaText(document: PdfiumDocument, key: string): string | null {
  const { module } = document;
  const byteLength = module.FPDF_GetMetaText(document.handle, key, 0, 0);
  if (byteLength <= 2) return null;
  const buffer = document.malloc(byteLength);
  try {
    module.FPDF_GetMetaText(document.handle, key, buffer, byteLength);
    return module.pdfium.UTF16ToString(buffer);
  } finally {
    document.free(buffer);
  }
}
