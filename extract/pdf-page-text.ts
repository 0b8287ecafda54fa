/** What a PDF text engine (PDFium or pdf.js) reads from a document, before lines are built. */
import { normalizePdfText } from './normalize.ts';
import type { PositionedText } from './pdf-lines.ts';
import type { ExtractedDocument } from './types.ts';

/** The engine that read a PDF's text. */
export type PdfEngine = NonNullable<ExtractedDocument['engine']>;

/** The warning of a PDF read by pdf.js because PDFium could not be trusted with it; its message says why. */
export const PDFJS_FALLBACK = 'PDFJS_FALLBACK';

/** Why pdf.js read the document instead of PDFium (its PDFJS_FALLBACK warning's message), or null. */
export function pdfjsFallbackReason(document: Pick<ExtractedDocument, 'warnings'>): string | null {
  return document.warnings.find((warning) => warning.code === PDFJS_FALLBACK)?.message ?? null;
}

/** One page's text runs in viewport space (points, y from the top), with counts for the garbled-text check. */
export interface PageText {
  items: PositionedText[];
  /** Glyphs without a usable Unicode mapping (dropped from the items' text). */
  unmappedGlyphs: number;
  /** Non-blank characters of the raw text, unmapped glyphs included. */
  rawChars: number;
  /** Page height in points, as displayed (after /Rotate). */
  height: number;
}

/** Ruling-line tables of one page, as pdf-parse's table builder gives them (rows of cell texts). */
export interface PageRulingTables {
  /** From 1. */
  page: number;
  tables: string[][][];
  /** Why the table builder gave nothing for the page (it throws on some grids: a missing bottom rule). */
  error?: string;
}

export interface PdfReading {
  engine: PdfEngine;
  title: string | null;
  pages: PageText[];
  /** Only when asked for. */
  rulingTables: PageRulingTables[];
}

/** A page whose raw text has more unmapped glyphs than this share is garbled. */
const GARBLED_PAGE_SHARE = 0.1;

/** True when the page's text is mostly glyphs without a Unicode mapping (a font without a usable ToUnicode map). */
export function isGarbled(page: PageText): boolean {
  return page.unmappedGlyphs > page.rawChars * GARBLED_PAGE_SHARE;
}

/** Titles that editors leave in the info dictionary and that say nothing about the document. */
const MEANINGLESS_TITLE = /^(untitled|无标题|microsoft word - .*|document\d*|\d+)$/i;

/** The info dictionary's Title, normalised, or null when missing or meaningless. */
export function cleanPdfTitle(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const title = normalizePdfText(raw).replace(/\s+/g, ' ').trim();
  return title === '' || MEANINGLESS_TITLE.test(title) ? null : title;
}
