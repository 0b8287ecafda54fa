/**
 * The document as one stream of rows, whatever it came as: each text line split into cells (tabs, pipes, runs of
 * spaces) and each table grid row with its merged-cell copies dropped. Table parsers read this stream.
 */
import type { ExtractedDocument } from '../extract/types.ts';
import { OCR_CONFIDENCE_THRESHOLD } from './ocr-uncertain.ts';
import { toSimplified } from './traditional.ts';
import type { CellProvenance } from './types.ts';

/** One cell of a row, with where it stands in the source. */
export interface SourceCell {
  text: string;
  /** Grid column, for table rows. */
  column?: number;
  /** The row the cell stands in, where a figure row was joined from several lines. */
  origin?: SourceRow;
  /** Read by OCR with a confidence the parser does not trust (an `ocr_uncertain` figure): it may be seal or noise. */
  doubtful?: boolean;
}

/** One row of the stream: a text line or a table grid row. */
export interface SourceRow {
  page: number;
  /** Table index and grid row, for table rows. */
  table?: number;
  row?: number;
  /** Block index within the page, for text lines. */
  line?: number;
  cells: SourceCell[];
}

/** A row read as label and figure slots. */
export interface RowView {
  source: SourceRow;
  /** Text cells compacted and joined: the row's own label. */
  label: string;
  /** Whether a figure stands before the label (a serial number: the row of some other list). */
  figureBeforeLabel: boolean;
  /** The cells after the last text cell; blank slots kept where they carry position. */
  slots: SourceCell[];
  /** How many slots hold a figure. */
  figureCount: number;
}

/** A figure read from a cell. */
export interface Figure {
  value: number;
  /** Unit written in the cell, if any. */
  unit: '万元' | '元' | null;
}

/** Page numbers and page-header lines that may stand inside a table. */
const PAGE_FOOTER = /^(?:[-—–－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)$/;
/** Markdown residue: `---` rule cells and `**` bold markers. */
const RULE_CELL = /^[-—–:|\s]{3,}$/;
const BLANK_MARK = /^[-—–－/／\\]$/;
const FIGURE = /^(增加|减少|增|减|[+\-−])?(\d+(?:\.\d+)?)(万元|元|件|个|项|条|次|人)?$/;

/** Compact label text: NFKC, simplified characters, no whitespace, no markdown markers. */
export function compactText(text: string): string {
  return toSimplified(text.normalize('NFKC')).replace(/[\s*#`]/g, '');
}

function normaliseFigureText(text: string): string {
  return toSimplified(text.normalize('NFKC'))
    .replace(/[\s*`]/g, '')
    .replace(/(\d)[,，](?=\d{3}(?:\D|$))/g, '$1');
}

/** A cell's figure; null for a blank cell (including a lone dash), undefined for text. */
export function readFigure(text: string): Figure | null | undefined {
  const normal = normaliseFigureText(text);
  if (normal === '' || BLANK_MARK.test(normal)) return null;
  const match = FIGURE.exec(normal);
  if (!match) return undefined;
  const sign = match[1] === '减' || match[1] === '减少' || match[1] === '-' || match[1] === '−' ? -1 : 1;
  const unit = match[3] === '万元' || match[3] === '元' ? match[3] : null;
  return { value: sign * Number(match[2]), unit };
}

/** Multiplies a decimal figure by 10^places without binary rounding (4555.771 万元 → 45557710 元). */
export function shiftDecimal(value: number, places: number): number {
  const negative = value < 0;
  const [whole = '0', fraction = ''] = Math.abs(value).toString().split('.');
  const digits = whole + fraction.padEnd(places, '0');
  const point = whole.length + places;
  const text = `${digits.slice(0, point)}.${digits.slice(point) || '0'}`;
  return (negative ? -1 : 1) * Number(text);
}

/** Splits a text line into cells: tabs, pipes or runs of two or more spaces; a cell of bare numbers splits further. */
function splitLine(text: string): string[] {
  // A markdown-style row (| a | b |) has no cell before its first pipe nor after its last.
  const piped = text.includes('|') && !text.includes('\t') ? text.trim().replace(/^\|/, '').replace(/\|$/, '') : text;
  const cells = piped.includes('\t') || piped.includes('|') ? piped.split(/\t|\|/) : piped.split(/\s{2,}|\u3000+/);
  return cells.flatMap((cell) => {
    const parts = cell.trim().split(/\s+/);
    return parts.length > 1 && parts.every((part) => readFigure(part) !== undefined && part !== '') ? parts : [cell.trim()];
  });
}

function isNoiseLine(text: string): boolean {
  const cells = text
    .split(/\t|\|/)
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '');
  return cells.length > 0 && cells.every((cell) => RULE_CELL.test(cell)) ? true : PAGE_FOOTER.test(text.trim());
}

/** Every line and table row of the document in reading order; page footers and markdown rules left out. */
export function readRows(doc: ExtractedDocument): SourceRow[] {
  const rows: SourceRow[] = [];
  for (const page of doc.pages) {
    page.blocks.forEach((block, index) => {
      if (block.kind === 'line') {
        if (block.text.trim() === '' || isNoiseLine(block.text)) return;
        rows.push({ page: page.number, line: index, cells: splitLine(block.text).map((text) => ({ text })) });
        return;
      }
      block.rows.forEach((gridRow, rowIndex) => {
        const cells = gridRow.flatMap((cell, column): SourceCell[] => {
          if (cell.spanned) return [];
          return [{ text: cell.text, column, ...(cell.ocr && cell.ocr.confidence < OCR_CONFIDENCE_THRESHOLD ? { doubtful: true } : {}) }];
        });
        if (cells.every((cell) => RULE_CELL.test(cell.text.trim()))) return;
        rows.push({ page: page.number, table: block.index, row: rowIndex, cells });
      });
    });
  }
  return rows;
}

/**
 * Each cell's figure (null blank, undefined text), a doubtful OCR reading taken by where it stands: a figure
 * before the row's sure label text is noise (a seal's residue in a merged label column reads "-1"), not a serial
 * number; text after the row's first sure figure is an unreadable figure (a seal over a "0"), a blank slot.
 */
function cellKinds(cells: SourceCell[]): (Figure | null | undefined | 'noise')[] {
  const kinds = cells.map((cell) => readFigure(cell.text));
  const sure = (index: number) => !cells[index]!.doubtful;
  const lastSureText = kinds.findLastIndex(
    (kind, index) => kind === undefined && sure(index) && !RULE_CELL.test(cells[index]!.text.trim()),
  );
  const firstSureFigure = kinds.findIndex((kind, index) => Boolean(kind) && sure(index));
  return kinds.map((kind, index) => {
    if (sure(index)) return kind;
    if (kind && index < lastSureText) return 'noise';
    if (kind === undefined && firstSureFigure !== -1 && index > firstSureFigure) return null;
    return kind;
  });
}

/** Reads a row as its label and the figure slots after it (each cell's figure read once). */
export function viewRow(source: SourceRow): RowView {
  const kinds = cellKinds(source.cells);
  let lastText = -1;
  kinds.forEach((kind, index) => {
    if (kind === undefined && !RULE_CELL.test(source.cells[index]!.text.trim())) lastText = index;
  });
  const label = source.cells
    .filter((_, index) => kinds[index] === undefined && index <= lastText)
    .map((cell) => compactText(cell.text))
    .join('');
  const figureBeforeLabel = kinds.slice(0, Math.max(lastText, 0)).some((kind) => kind !== undefined && kind !== null && kind !== 'noise');
  let end = source.cells.length;
  // Text lines end in separators; only a table grid says a trailing slot is a blank cell.
  if (source.table === undefined) while (end > lastText + 1 && kinds[end - 1] === null) end--;
  const slots = source.cells.slice(lastText + 1, end);
  const figureCount = kinds.slice(lastText + 1, end).filter((kind) => kind && kind !== 'noise').length;
  return { source, label, figureBeforeLabel, slots, figureCount };
}

/** Where a slot was read, for a cell's provenance. */
export function provenanceOf(rowOfView: SourceRow, cell: SourceCell): CellProvenance {
  const row = cell.origin ?? rowOfView;
  if (row.table !== undefined) return { page: row.page, table: row.table, row: row.row, column: cell.column, raw: cell.text };
  return { page: row.page, line: row.line, raw: cell.text };
}
