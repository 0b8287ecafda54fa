/**
 * Legacy Word (.doc, Word 97–2003 binary) tables. word-extractor turns both the cell mark and the row-end mark
 * (each the character 0x07) into TAB, and finds row ends only in paragraph properties stored inline, so rows
 * run together. This reads the paragraph properties itself — including the "huge" ones kept in the Data
 * stream (sprmPHugePapx), which Word uses for the row-end paragraph of any table with more than a few columns —
 * and marks cell ends, row ends and line breaks inside cells with noncharacters before word-extractor cleans
 * the text, so the body comes back with its table structure.
 */
import { createRequire } from 'node:module';
import type { Block, TableCell } from './types.ts';

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

/** What a paragraph's properties say about its place in a table. */
interface TableRole {
  inTable: boolean;
  rowEnd: boolean;
  /** Table nesting depth (1 = an outermost table). */
  depth: number;
}

/** word-extractor's piece of text: `bpc` bytes per character from file position `startFilePos`. */
interface Piece {
  text: string;
  startFilePos: number;
  endFilePos: number;
  bpc: number;
}

interface WordOleExtractorInstance {
  _pieces: Piece[];
  extract(reader: unknown): Promise<{ getBody(options?: { filterUnicode?: boolean }): string }>;
  documentStream(document: unknown, name: string): Promise<NodeJS.ReadableStream>;
  streamBuffer(stream: NodeJS.ReadableStream): Promise<Buffer>;
  extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown>;
}
type WordOleExtractorClass = new () => WordOleExtractorInstance;

const require = createRequire(import.meta.url);
// Deep imports: the package exports only WordExtractor, whose extract() gives no access to the pieces.
const WordOleExtractor = require('word-extractor/lib/word-ole-extractor.js') as WordOleExtractorClass;
const BufferReader = require('word-extractor/lib/buffer-reader.js') as new (buffer: Buffer) => { open(): Promise<unknown>; close(): Promise<unknown> };

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

/** The table role a grpprl gives a paragraph; a huge PAPX is followed into the Data stream. */
function tableRole(grpprl: Buffer, data: Buffer, role: TableRole = { inTable: false, rowEnd: false, depth: 0 }): TableRole {
  forEachSprm(grpprl, (sprm, operand) => {
    if (sprm === SPRM_P_F_IN_TABLE) role.inTable = grpprl[operand] === 1;
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

/** Rewrites the characters of one table paragraph: its end mark and the breaks inside it. */
function markTableParagraph(pieces: Piece[], start: number, end: number, role: TableRole): void {
  const piece = pieces.find((candidate) => candidate.startFilePos <= start && start < candidate.endFilePos);
  if (!piece) return;
  const from = (start - piece.startFilePos) / piece.bpc;
  const to = Math.min((end - piece.startFilePos) / piece.bpc, piece.text.length);
  const nested = role.depth > 1;
  const last = piece.text[to - 1];
  const endMark = last !== CELL_MARK || nested ? CELL_LINE_BREAK : role.rowEnd ? ROW_END : CELL_END;
  // Breaks inside a cell must not read as paragraphs outside the table; a nested table flattens into its cell.
  const inner = piece.text.slice(from, to - 1).replace(/[\r\n\u000b\u0007]/g, CELL_LINE_BREAK);
  piece.text = piece.text.slice(0, from) + inner + endMark + piece.text.slice(to);
}

/** word-extractor's OLE extractor with table-aware paragraph properties. */
class TableAwareExtractor extends WordOleExtractor {
  private data: Buffer = Buffer.alloc(0);

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
      if (role.inTable) markTableParagraph(this._pieces, start, end, role);
    }
  }
}

/**
 * The body of a .doc with its tables marked: CELL_END after each cell, ROW_END after each row,
 * CELL_LINE_BREAK for breaks inside a cell; paragraphs outside tables end with \n. Throws what word-extractor
 * throws on a file it cannot read.
 */
export async function readDocBody(bytes: Uint8Array): Promise<string> {
  const reader = new BufferReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  await reader.open();
  try {
    const document = await new TableAwareExtractor().extract(reader);
    return document.getBody();
  } finally {
    await reader.close();
  }
}

/** No space between two CJK characters when a cell's lines are joined, one space otherwise. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

function cellText(raw: string): TableCell {
  const lines = raw.split(CELL_LINE_BREAK).map((line) => line.replace(/\s+/g, ' ').trim()).filter((line) => line !== '');
  const text = lines.reduce((joined, line) => {
    if (joined === '') return line;
    return joined + (CJK.test(joined.at(-1) ?? '') && CJK.test(line[0] ?? '') ? '' : ' ') + line;
  }, '');
  return { text };
}

function rowCells(raw: string): TableCell[] {
  // Every cell ends with CELL_END, so the piece after the last one is empty.
  return raw.split(CELL_END).slice(0, -1).map(cellText);
}

/**
 * Blocks of a marked .doc body (readDocBody): paragraphs as lines, consecutive rows as one table.
 * Merged cells are not expanded: Word 97 stores a horizontal merge as one wide cell and a vertical one as
 * empty cells below the first, so a row has the cells Word drew.
 */
export function docBodyBlocks(body: string): Block[] {
  const blocks: Block[] = [];
  let rows: TableCell[][] | null = null;
  let tables = 0;
  for (const segment of body.replace(/\r\n?|\u000b/g, '\n').match(new RegExp(`[^\\n${ROW_END}]*[\\n${ROW_END}]?`, 'gu')) ?? []) {
    if (segment.endsWith(ROW_END)) {
      if (rows === null) {
        rows = [];
        blocks.push({ kind: 'table', index: tables++, rows, origin: 'doc' });
      }
      rows.push(rowCells(segment.slice(0, -1)));
      continue;
    }
    // Any paragraph, even an empty one, ends a table: Word keeps two tables apart only by a paragraph.
    if (segment !== '') rows = null;
    const text = segment.replace(/\s+$/, '');
    if (text.trim() !== '') blocks.push({ kind: 'line', text });
  }
  return blocks;
}
