/** The one Document model every extractor produces, whatever the input format. */

export type DocumentFormat = 'html' | 'pdf' | 'docx' | 'doc' | 'text';

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

/** One slot of a table grid. Merged cells are expanded: every covered slot repeats the text. */
export interface TableCell {
  text: string;
  /** True where this slot is covered by a merged cell that starts in another slot. */
  spanned?: boolean;
}

/** A table as a cell grid (rows may differ in length where the source does). */
export interface TableBlock {
  kind: 'table';
  /** Index of the table within the whole document, from 0. */
  index: number;
  rows: TableCell[][];
  origin: 'html' | 'pdf-ruling' | 'pdf-alignment' | 'docx' | 'doc';
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
