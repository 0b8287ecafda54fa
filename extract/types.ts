/** The one Document model every extractor produces, whatever the input format. */

export type DocumentFormat = 'html' | 'pdf' | 'docx' | 'doc' | 'text' | 'image';

/** Axis-aligned box in PDF points, origin top-left of the page. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One line of running text, in reading order. */
export interface LineBlock {
  kind: 'line';
  text: string;
  /** Where the format gives positions (PDF). */
  box?: Box;
}

/** How an OCRed cell was read: enough to trace the figure to its place on the page and to judge it. */
export interface OcrReading {
  /** The engine's confidence, 0–100 (the lowest of the cell's words); 100 for a cell with no ink. */
  confidence: number;
  /** The cell's box on the page: page number from 1, box in points from the top left of the straightened page. */
  box: Box & { page: number };
  /** `blank`: no ink; `text`: read as text (a label); `digits`: read as a figure, only a figure's characters allowed. */
  pass: 'blank' | 'text' | 'digits';
  /** Where the figure reading and the free reading of a figure differ: both (the text holds the figure reading). */
  alternatives?: string[];
  /** The engine's own text where it was snapped to a template label. */
  raw?: string;
}

/** One slot of a table grid. Merged cells are expanded: every covered slot repeats the text. */
export interface TableCell {
  text: string;
  /** True where this slot is covered by a merged cell that starts in another slot. */
  spanned?: boolean;
  /** Tables read from images: how the origin slot of the cell was recognised. */
  ocr?: OcrReading;
}

/** A table as a cell grid (rows may differ in length where the source does). */
export interface TableBlock {
  kind: 'table';
  /** Index of the table within the whole document, from 0. */
  index: number;
  rows: TableCell[][];
  origin: 'html' | 'pdf-ruling' | 'pdf-alignment' | 'docx' | 'doc' | 'ocr';
}

export type Block = LineBlock | TableBlock;

export interface DocumentPage {
  /** From 1. HTML and plain text are a single page. */
  number: number;
  blocks: Block[];
}

export interface ExtractWarning {
  code: string;
  message: string;
  page?: number;
}

/** Output of extract, input of parse. Stored content-addressed by sha256 and extractorVersion. */
export interface ExtractedDocument {
  sha256: string;
  format: DocumentFormat;
  extractorVersion: string;
  /** PDFs only: the engine that read the text (PDFium, or pdf.js when PDFium could not open it or read garbage). */
  engine?: 'pdfium' | 'pdf.js';
  /** Title from the document itself (meta tags, <title>, PDF info), if any. */
  title: string | null;
  pages: DocumentPage[];
  warnings: ExtractWarning[];
}
