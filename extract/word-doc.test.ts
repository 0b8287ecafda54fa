import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TableBlock, TableCell } from './types.ts';
import {
  CELL_END,
  docBodyBlocks,
  expandMergedCells,
  readRowLayout,
  ROW_END,
  TC_FIRST_MERGED,
  TC_MERGED,
  TC_VERT_MERGE,
  TC_VERT_RESTART,
  type DrawnRow,
} from './word-doc.ts';

const VERT_CONTINUE = TC_VERT_MERGE;
const VERT_START = TC_VERT_MERGE | TC_VERT_RESTART;
/** A vertAlign bit Word sets on most cells; it must not read as a merge. */
const VERT_ALIGN_CENTER = 0x0080;

const row = (texts: string[], edges: number[] | null, flags: number[] = texts.map(() => 0)): DrawnRow => ({
  cells: texts.map((text) => ({ text })),
  layout: edges === null ? null : { edges, flags },
});
/** A grid written compactly: '^' before a text marks a spanned slot. */
const grid = (rows: TableCell[][]) => rows.map((cells) => cells.map((cell) => (cell.spanned ? `^${cell.text}` : cell.text)));

describe('expandMergedCells: Word 97 rows with known edges and flags → grid', () => {
  it('a wide cell fills every grid column it crosses; a vertical continuation repeats the restart cell above', () => {
    const rows = [
      row(['head', 'group'], [0, 1000, 3000], [VERT_START, VERT_ALIGN_CENTER]),
      row(['', 'a', 'b'], [0, 1000, 2000, 3000], [VERT_CONTINUE, VERT_ALIGN_CENTER, 0]),
      row(['x', '1', '2'], [0, 1000, 2000, 3000]),
    ];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['head', 'group', '^group'],
      ['^head', 'a', 'b'],
      ['x', '1', '2'],
    ]);
  });

  it('a vertical merge runs down several rows and over wide cells; a restart begins a new one', () => {
    const rows = [
      row(['title', 'n'], [0, 2000, 3000], [VERT_START, 0]),
      row(['', 'm'], [0, 2000, 3000], [VERT_CONTINUE, 0]),
      row(['', 'k'], [0, 2000, 3000], [VERT_CONTINUE, 0]),
      row(['next', 'j'], [0, 1000, 3000], [VERT_START, 0]),
      row(['', 'i'], [0, 1000, 3000], [VERT_CONTINUE, 0]),
    ];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['title', '^title', 'n'],
      ['^title', '^title', 'm'],
      ['^title', '^title', 'k'],
      ['next', 'j', '^j'],
      ['^next', 'i', '^i'],
    ]);
  });

  it('edges within 20 twips share a grid line; farther apart they make a column', () => {
    // Lines at 0 (0, 10), 1000 (1000, 1015), 1030 and 1990 (1990, 2000): only the third row's 1030 splits a column.
    const rows = [row(['a', 'b'], [0, 1000, 2000]), row(['c', 'd'], [10, 1015, 1990]), row(['e', 'f'], [0, 1030, 2000])];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['a', 'b', '^b'],
      ['c', 'd', '^d'],
      ['e', '^e', 'f'],
    ]);
  });

  it('old-style horizontal merges (first merged, merged) repeat the first cell of the run', () => {
    const rows = [
      row(['wide', '', '', 'z'], [0, 100, 200, 300, 400], [TC_FIRST_MERGED, TC_MERGED, TC_MERGED, 0]),
      row(['1', '2', '3', '4'], [0, 100, 200, 300, 400]),
    ];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['wide', '^wide', '^wide', 'z'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('an indented row starts with empty slots so its cells stay under their columns', () => {
    const rows = [row(['a', 'b', 'c'], [0, 100, 200, 300]), row(['d', 'e'], [100, 200, 300])];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['a', 'b', 'c'],
      ['', 'd', 'e'],
    ]);
  });

  it('a row without a usable layout keeps the cells Word drew, and nothing below merges into it', () => {
    const rows = [
      row(['a', 'b'], [0, 100, 300]),
      row(['drawn', 'as is'], null),
      row(['', 'c', 'd'], [0, 100, 200, 300], [VERT_CONTINUE, 0, 0]),
      // A layout for two cells does not fit a row of three.
      row(['x', 'y', 'z'], [0, 100, 300], [0, 0]),
    ];
    assert.deepEqual(grid(expandMergedCells(rows)), [
      ['a', 'b', '^b'],
      ['drawn', 'as is'],
      ['', 'c', 'd'],
      ['x', 'y', 'z'],
    ]);
  });
});

describe('readRowLayout: the sprmTDefTable operand', () => {
  /** cb, itcMac, rgdxaCenter, then the TC80s given (20 bytes each, flags first). */
  function operand(edges: number[], tcFlags: number[]): Buffer {
    const body = Buffer.alloc(1 + 2 * edges.length + 20 * tcFlags.length);
    body[0] = edges.length - 1;
    edges.forEach((edge, index) => body.writeInt16LE(edge, 1 + 2 * index));
    tcFlags.forEach((flags, index) => body.writeUInt16LE(flags, 1 + 2 * edges.length + 20 * index));
    const cb = Buffer.alloc(2);
    cb.writeUInt16LE(body.length + 1);
    return Buffer.concat([cb, body]);
  }

  it('reads the edges and each cell flags; cells without a TC80 are not merged', () => {
    assert.deepEqual(readRowLayout(operand([-108, 1000, 2500, 4000], [VERT_START, TC_MERGED]), 0), {
      edges: [-108, 1000, 2500, 4000],
      flags: [VERT_START, TC_MERGED, 0],
    });
  });

  it('is null for an operand cut short or edges that go backwards', () => {
    assert.equal(readRowLayout(operand([0, 1000], [0]).subarray(0, 5), 0), null);
    assert.equal(readRowLayout(operand([0, 2000, 1000], [0, 0]), 0), null);
  });
});

describe('docBodyBlocks pairs rows with layouts', () => {
  const text = `before\n${['a', 'b'].map((cell) => cell + CELL_END).join('')}${ROW_END}${['', 'c'].map((cell) => cell + CELL_END).join('')}${ROW_END}after\n`;
  const tableRows = (rowLayouts: Parameters<typeof docBodyBlocks>[0]['rowLayouts']) =>
    grid(docBodyBlocks({ text, rowLayouts }).filter((block): block is TableBlock => block.kind === 'table')[0]!.rows);

  it('expands each table with its rows layouts', () => {
    const layouts = [
      { edges: [0, 100, 200], flags: [VERT_START, 0] },
      { edges: [0, 100, 200], flags: [VERT_CONTINUE, 0] },
    ];
    assert.deepEqual(tableRows(layouts), [
      ['a', 'b'],
      ['^a', 'c'],
    ]);
  });

  it('keeps the drawn cells when the layouts do not pair with the rows one to one', () => {
    assert.deepEqual(tableRows([{ edges: [0, 100, 200], flags: [VERT_START, 0] }]), [
      ['a', 'b'],
      ['', 'c'],
    ]);
  });
});
