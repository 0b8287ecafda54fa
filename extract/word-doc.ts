/**
 * Legacy Word (.doc, Word 97–2003 binary) tables. word-extractor turns both the cell mark and the row-end mark
 * (each the character 0x07) into TAB, and finds row ends only in paragraph properties stored inline, so rows
 * run together. This reads the paragraph properties itself — including the "huge" ones kept in the Data
 * stream (sprmPHugePapx), which Word uses for the row-end paragraph of any table with more than a few columns —
 * and marks cell ends, row ends and line breaks inside cells with noncharacters before word-extractor cleans
 * the text, so the body comes back with its table structure.
 *
 * Merged cells are expanded into a grid like the HTML and DOCX paths. Word 97 draws a horizontal merge as one
 * wide cell (or, old style, as cells flagged "merged with the previous") and a vertical one as empty cells
 * flagged "continues the cell above"; the row-end paragraph's sprmTDefTable holds each cell's edges and flags.
 * The grid's columns are every row's cell edges together, so a wide cell fills as many slots as the columns it
 * crosses.
 */
import { createRequire } from 'node:module';
import type { Block, TableCell } from './types.ts';
import { joinCellLines } from './html.ts';

/** Ends a cell (replaces the cell mark). Noncharacters never occur in text, so they cannot be confused. */
export const CELL_END = '\ufdd0';
/** Ends a table row (replaces the row-end mark). */
export const ROW_END = '\ufdd1';
/** A paragraph or line break inside a cell. */
export const CELL_LINE_BREAK = '\ufdd2';

const SPRM_P_F_IN_TABLE = 0x2416;
const SPRM_P_F_TTP = 0x2417;
const SPRM_P_F_INNER_TTP = 0x244c;
const SPRM_P_ITAP = 0x6649;
const SPRM_P_HUGE_PAPX = 0x6646;
const SPRM_T_DEF_TABLE = 0xd608;
const SPRM_P_CHG_TABS = 0xc615;
const CELL_MARK = '\u0007';

/** TC80 flags (TCGRF): horzMerge is bits 0–1, vertMerge bits 5–6. The first merged cell reads as any cell. */
export const TC_FIRST_MERGED = 0x0001;
export const TC_MERGED = 0x0002;
export const TC_VERT_MERGE = 0x0020;
export const TC_VERT_RESTART = 0x0040;
/** Size of a TC80 in sprmTDefTable. */
const TC80_SIZE = 20;
/** Cell edges closer than this (twips) are one grid line: rows drawn by hand rarely line up exactly. */
const EDGE_TOLERANCE = 20;

/** A table row as its row-end paragraph defines it (sprmTDefTable). */
export interface RowLayout {
  /** Cell edges in twips, left to right: one more than the cells. */
  edges: number[];
  /** TC80 flags of each cell (TC_*). */
  flags: number[];
}

/** A row as the text gives it: the cells Word drew, with its layout when the row end had a readable one. */
export interface DrawnRow {
  cells: TableCell[];
  layout: RowLayout | null;
}

/** A marked .doc body (readDocBody) and the layouts of its rows, in the order of its ROW_END marks. */
export interface DocBody {
  text: string;
  rowLayouts: (RowLayout | null)[];
}

/** What a paragraph's properties say about its place in a table. */
interface TableRole {
  inTable: boolean;
  rowEnd: boolean;
  /** Table nesting depth (1 = an outermost table). */
  depth: number;
  /** The row's layout, on a row-end paragraph. */
  layout: RowLayout | null;
}

/** word-extractor's piece of text: `bpc` bytes per character from file position `startFilePos`. */
interface Piece {
  text: string;
  startCp: number;
  startFilePos: number;
  endFilePos: number;
  bpc: number;
}

interface WordOleExtractorInstance {
  _pieces: Piece[];
  /** Character counts of the document parts; the main text comes first. */
  _boundaries: { ccpText: number };
  extract(reader: unknown): Promise<{ getBody(options?: { filterUnicode?: boolean }): string }>;
  documentStream(document: unknown, name: string): Promise<NodeJS.ReadableStream>;
  streamBuffer(stream: NodeJS.ReadableStream): Promise<Buffer>;
  extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown>;
}
type WordOleExtractorClass = new () => WordOleExtractorInstance;

const require = createRequire(import.meta.url);
// Deep imports: the package exports only WordExtractor, whose extract() gives no access to the pieces.
const WordOleExtractor = require('word-extractor/lib/word-ole-extractor.js') as WordOleExtractorClass;
const BufferReader = require('word-extractor/lib/buffer-reader.js') as new (buffer: Buffer) => {
  open(): Promise<unknown>;
  close(): Promise<unknown>;
};

/** Length in bytes of a sprm's operand at `offset` (the spra field, plus the two variable-length exceptions). */
function operandLength(grpprl: Buffer, offset: number, sprm: number): number {
  const spra = sprm >> 13;
  if (spra === 0 || spra === 1) return 1;
  if (spra === 2 || spra === 4 || spra === 5) return 2;
  if (spra === 3) return 4;
  if (spra === 7) return 3;
  if (sprm === SPRM_T_DEF_TABLE) return 1 + (grpprl.readUInt16LE(offset) || 1);
  if (sprm === SPRM_P_CHG_TABS && grpprl[offset] === 255) {
    const deleted = grpprl[offset + 1] ?? 0;
    const added = grpprl[offset + 2 + deleted * 4] ?? 0;
    return 3 + deleted * 4 + added * 3;
  }
  return 1 + (grpprl[offset] ?? 0);
}

/** Calls `visit` with every sprm of a grpprl and the offset of its operand. */
function forEachSprm(grpprl: Buffer, visit: (sprm: number, operand: number) => void): void {
  let offset = 0;
  while (offset + 2 <= grpprl.length) {
    const sprm = grpprl.readUInt16LE(offset);
    offset += 2;
    if (offset >= grpprl.length) return;
    visit(sprm, offset);
    offset += operandLength(grpprl, offset, sprm);
  }
}

/**
 * The layout in a sprmTDefTable operand: cb, itcMac, rgdxaCenter[itcMac + 1], then up to itcMac TC80s (cells
 * without one are not merged). Null when it does not fit its operand or its edges go backwards.
 */
export function readRowLayout(grpprl: Buffer, operand: number): RowLayout | null {
  if (operand + 3 > grpprl.length) return null;
  const end = Math.min(grpprl.length, operand + 1 + grpprl.readUInt16LE(operand));
  const cells = grpprl[operand + 2] ?? 0;
  const edgesAt = operand + 3;
  const tcsAt = edgesAt + 2 * (cells + 1);
  if (cells === 0 || tcsAt > end) return null;
  const edges = Array.from({ length: cells + 1 }, (_, index) => grpprl.readInt16LE(edgesAt + 2 * index));
  if (edges.some((edge, index) => index > 0 && edge < edges[index - 1]!)) return null;
  const flags = Array.from({ length: cells }, (_, index) => {
    const at = tcsAt + TC80_SIZE * index;
    return at + 2 <= end ? grpprl.readUInt16LE(at) : 0;
  });
  return { edges, flags };
}

/** The table role a grpprl gives a paragraph; a huge PAPX is followed into the Data stream. */
function tableRole(grpprl: Buffer, data: Buffer, role: TableRole = { inTable: false, rowEnd: false, depth: 0, layout: null }): TableRole {
  forEachSprm(grpprl, (sprm, operand) => {
    if (sprm === SPRM_P_F_IN_TABLE) role.inTable = grpprl[operand] === 1;
    else if (sprm === SPRM_T_DEF_TABLE) role.layout = readRowLayout(grpprl, operand);
    else if (sprm === SPRM_P_F_TTP || sprm === SPRM_P_F_INNER_TTP) role.rowEnd = grpprl[operand] === 1;
    else if (sprm === SPRM_P_ITAP && operand + 4 <= grpprl.length) role.depth = grpprl.readInt32LE(operand);
    else if (sprm === SPRM_P_HUGE_PAPX && operand + 4 <= grpprl.length) {
      const start = grpprl.readUInt32LE(operand);
      if (start + 2 <= data.length) tableRole(data.subarray(start + 2, start + 2 + data.readUInt16LE(start)), data, role);
    }
  });
  return role;
}

/** The grpprl (after the 2-byte style index) of run `index` of a PAPX FKP page (PapxInFkp). */
function papxGrpprl(page: Buffer, runs: number, index: number): Buffer {
  const at = (page[(runs + 1) * 4 + index * 13] ?? 0) * 2;
  const cb = page[at] ?? 0;
  const papx = cb !== 0 ? page.subarray(at + 1, at + 2 * cb) : page.subarray(at + 2, at + 2 + 2 * (page[at + 1] ?? 0));
  return papx.subarray(2);
}

/** The paragraphs of the document as [start, end) file positions with their table role. */
function* paragraphRoles(wordDocument: Buffer, table: Buffer, data: Buffer): Generator<{ start: number; end: number; role: TableRole }> {
  const fc = wordDocument.readUInt32LE(0x0102);
  const lcb = wordDocument.readUInt32LE(0x0106);
  const plc = table.subarray(fc, fc + lcb);
  const pages = (lcb - 4) / 8;
  for (let index = 0; index < pages; index++) {
    const pageNumber = plc.readUInt32LE((pages + 1) * 4 + index * 4);
    const page = wordDocument.subarray(pageNumber * 512, (pageNumber + 1) * 512);
    if (page.length < 512) continue;
    const runs = page[511] ?? 0;
    for (let run = 0; run < runs; run++) {
      const role = tableRole(papxGrpprl(page, runs, run), data);
      if (role.inTable && role.depth === 0) role.depth = 1;
      yield { start: page.readUInt32LE(run * 4), end: page.readUInt32LE(run * 4 + 4), role };
    }
  }
}

/**
 * Rewrites the characters of one table paragraph: its end mark and the breaks inside it. Returns the character
 * position (CP) of the ROW_END it wrote, if it ended an outermost row.
 */
function markTableParagraph(pieces: Piece[], start: number, end: number, role: TableRole): number | null {
  const piece = pieces.find((candidate) => candidate.startFilePos <= start && start < candidate.endFilePos);
  if (!piece) return null;
  const from = (start - piece.startFilePos) / piece.bpc;
  const to = Math.min((end - piece.startFilePos) / piece.bpc, piece.text.length);
  const nested = role.depth > 1;
  const last = piece.text[to - 1];
  const endMark = last !== CELL_MARK || nested ? CELL_LINE_BREAK : role.rowEnd ? ROW_END : CELL_END;
  // Breaks inside a cell must not read as paragraphs outside the table; a nested table flattens into its cell.
  const inner = piece.text.slice(from, to - 1).replace(/[\r\n\u000b\u0007]/g, CELL_LINE_BREAK);
  piece.text = piece.text.slice(0, from) + inner + endMark + piece.text.slice(to);
  return endMark === ROW_END ? piece.startCp + to - 1 : null;
}

/** word-extractor's OLE extractor with table-aware paragraph properties. */
class TableAwareExtractor extends WordOleExtractor {
  private data: Buffer = Buffer.alloc(0);
  private rowEnds: { cp: number; layout: RowLayout | null }[] = [];

  override extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown> {
    // A missing Data stream reads as an empty one.
    return this.documentStream(document, 'Data')
      .then((stream) => this.streamBuffer(stream))
      .then((data) => {
        this.data = data;
        return super.extractWordDocument(document, buffer);
      });
  }

  /** Replaces word-extractor's own pass, which only finds row ends whose properties are stored inline. */
  writeParagraphProperties(wordDocument: Buffer, table: Buffer): void {
    for (const { start, end, role } of paragraphRoles(wordDocument, table, this.data)) {
      if (!role.inTable) continue;
      const rowEndCp = markTableParagraph(this._pieces, start, end, role);
      if (rowEndCp !== null) this.rowEnds.push({ cp: rowEndCp, layout: role.layout });
    }
  }

  /**
   * The layouts of the main text's rows in text order. Paragraph properties come in file order and the
   * text may not be stored in order, so they are sorted by character position, as the body is.
   */
  bodyRowLayouts(): (RowLayout | null)[] {
    const body = this.rowEnds.filter(({ cp }) => cp < this._boundaries.ccpText);
    return body.sort((a, b) => a.cp - b.cp).map(({ layout }) => layout);
  }
}

/**
 * The body of a .doc with its tables marked: CELL_END after each cell, ROW_END after each row,
 * CELL_LINE_BREAK for breaks inside a cell; paragraphs outside tables end with \n. With it, each row's layout.
 * Throws what word-extractor throws on a file it cannot read.
 */
export async function readDocBody(bytes: Uint8Array): Promise<DocBody> {
  const reader = new BufferReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  await reader.open();
  try {
    const extractor = new TableAwareExtractor();
    const document = await extractor.extract(reader);
    return { text: document.getBody(), rowLayouts: extractor.bodyRowLayouts() };
  } finally {
    await reader.close();
  }
}

function cellText(raw: string): TableCell {
  const lines = raw
    .split(CELL_LINE_BREAK)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
  return { text: joinCellLines(lines) };
}

function rowCells(raw: string): TableCell[] {
  // Every cell ends with CELL_END, so the piece after the last one is empty.
  return raw.split(CELL_END).slice(0, -1).map(cellText);
}

/** The layout of a row when it has one that matches the cells the text gives. */
function usableLayout(row: DrawnRow): RowLayout | null {
  const { layout } = row;
  return layout !== null && layout.flags.length === row.cells.length && layout.edges.length === row.cells.length + 1 ? layout : null;
}

/** Each cell edge of the table's rows → its grid line; edges within EDGE_TOLERANCE of a line's first share it. */
function gridLines(rows: DrawnRow[]): Map<number, number> {
  const edges = [...new Set(rows.flatMap((row) => usableLayout(row)?.edges ?? []))].sort((a, b) => a - b);
  const lines = new Map<number, number>();
  let line = -1;
  let lineStart = Number.NEGATIVE_INFINITY;
  for (const edge of edges) {
    if (edge - lineStart > EDGE_TOLERANCE) {
      line++;
      lineStart = edge;
    }
    lines.set(edge, line);
  }
  return lines;
}

/**
 * The slot a merged cell continues: the one above for a vertical continuation (vertMerge 1; 3 restarts), the
 * previous one in the row for an old-style horizontal one. Undefined for a cell that continues nothing.
 */
function continuedSlot(flags: number, slots: TableCell[], above: TableCell[] | null, isFirstCell: boolean): TableCell | undefined {
  if ((flags & (TC_VERT_MERGE | TC_VERT_RESTART)) === TC_VERT_MERGE) return above?.[slots.length];
  return flags & TC_MERGED && !isFirstCell ? slots.at(-1) : undefined;
}

/** The slots of one row on the grid; `above` is the previous row's slots when that row is on the grid too. */
function gridRow(cells: TableCell[], layout: RowLayout, lines: Map<number, number>, above: TableCell[] | null): TableCell[] {
  const line = (edge: number) => lines.get(edge) ?? 0;
  // An indented row starts with empty slots, so its cells stay under the columns they are drawn in.
  const slots: TableCell[] = Array.from({ length: line(layout.edges[0]!) }, () => ({ text: '' }));
  cells.forEach((cell, index) => {
    const width = Math.max(1, line(layout.edges[index + 1]!) - line(layout.edges[index]!));
    // A continuation shows nothing of its own: Word draws the cell it continues across it.
    const continued = continuedSlot(layout.flags[index] ?? 0, slots, above, index === 0);
    const text = continued?.text ?? cell.text;
    for (let slot = 0; slot < width; slot++) slots.push(continued || slot > 0 ? { text, spanned: true } : { text });
  });
  return slots;
}

/**
 * One table's rows as a grid: a cell crossing k grid columns fills k slots, and cells merged into another
 * (horizontally or vertically) repeat its text; every slot but a cell's first is spanned. A row without a
 * usable layout keeps the cells Word drew, and the row below it is not merged into it.
 */
export function expandMergedCells(rows: DrawnRow[]): TableCell[][] {
  const lines = gridLines(rows);
  let above: TableCell[] | null = null;
  return rows.map((row) => {
    const layout = usableLayout(row);
    above = layout === null ? null : gridRow(row.cells, layout, lines, above);
    return above ?? row.cells;
  });
}

type BodyPart = { kind: 'line'; text: string } | { kind: 'rows'; rows: DrawnRow[] };

/** A paragraph with its line end, or a table row with its row-end mark. */
const PARAGRAPH_OR_ROW = new RegExp(`[^\\n${ROW_END}]*[\\n${ROW_END}]?`, 'gu');

/** The marked body as lines and runs of table rows, each row with its layout. */
function bodyParts(text: string, layouts: (RowLayout | null)[]): BodyPart[] {
  const parts: BodyPart[] = [];
  let rows: DrawnRow[] | null = null;
  let rowIndex = 0;
  for (const segment of text.replace(/\r\n?|\u000b/g, '\n').match(PARAGRAPH_OR_ROW) ?? []) {
    if (segment.endsWith(ROW_END)) {
      if (rows === null) {
        rows = [];
        parts.push({ kind: 'rows', rows });
      }
      rows.push({ cells: rowCells(segment.slice(0, -1)), layout: layouts[rowIndex++] ?? null });
      continue;
    }
    // Any paragraph, even an empty one, ends a table: Word keeps two tables apart only by a paragraph.
    if (segment !== '') rows = null;
    const line = segment.replace(/\s+$/, '');
    if (line.trim() !== '') parts.push({ kind: 'line', text: line });
  }
  return parts;
}

/**
 * Blocks of a marked .doc body (readDocBody): paragraphs as lines, consecutive rows as one table, merged
 * cells expanded (expandMergedCells).
 */
export function docBodyBlocks(body: DocBody): Block[] {
  // Layouts pair with rows by order; if the counts differ (text lost in cleaning), no row can trust its layout.
  const rowEnds = body.text.split(ROW_END).length - 1;
  const layouts = body.rowLayouts.length === rowEnds ? body.rowLayouts : [];
  let tables = 0;
  return bodyParts(body.text, layouts).map((part) =>
    part.kind === 'line' ? part : { kind: 'table', index: tables++, rows: expandMergedCells(part.rows), origin: 'doc' },
  );
}
