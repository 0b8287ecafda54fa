/**
 * The grid of a worn or sealed scan: synthetic 150-dpi pages with dark 2-pixel rulings, each drawn with the one
 * defect a rule is for (a line broken into pieces, a label across a line's place, a line that starts late).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScanImage } from './scan-clean.ts';
import { findTableGrids, wipeRulings, type ScanTableGrid } from './scan-grid.ts';

const ROW_HEIGHT = 40;
const TOP = 100;
const INK = 40;

interface Page extends ScanImage {
  /** Paints a box of pixels (inclusive), dark ink unless `value` says otherwise. */
  paint: (x0: number, y0: number, x1: number, y1: number, value?: number) => void;
  /** The y of the ruling above `row`. */
  rowTop: (row: number) => number;
}

/** A white page with the horizontal rulings of `rows` rows across the columns' extent, and the outer border. */
function page(rows: number, columnXs: number[], horizontals = true): Page {
  const width = 800;
  const height = 700;
  const pixels = new Uint8Array(width * height).fill(255);
  const paint = (x0: number, y0: number, x1: number, y1: number, value = INK) => {
    for (let y = y0; y <= y1; y++) pixels.fill(value, y * width + x0, y * width + x1 + 1);
  };
  const rowTop = (row: number) => TOP + row * ROW_HEIGHT;
  const [left, right] = [columnXs[0]!, columnXs.at(-1)!];
  if (horizontals) for (let row = 0; row <= rows; row++) paint(left, rowTop(row), right, rowTop(row) + 1);
  for (const x of [left, right]) paint(x, TOP, x + 1, rowTop(rows) + 1);
  return { width, height, pixels, dpi: 150, paint, rowTop };
}

/** A column line at `x` through the given rows. */
function columnLine(target: Page, x: number, rows: number[]): void {
  for (const row of rows) target.paint(x, target.rowTop(row), x + 1, target.rowTop(row + 1) + 1);
}

const spans = (grid: ScanTableGrid | undefined, row: number) =>
  grid!.cells.filter((cell) => cell.row === row).map((cell) => [cell.columnSpan, cell.rowSpan]);

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('the grid of a worn or sealed scan', () => {
  it('counts the pieces a seal broke a row line into together, so the cells under it stay apart', () => {
    // Row lines 2 and 3 lose x 380–400 (a seal): each piece covers at most half of the middle cell's side.
    const target = page(5, [100, 300, 500, 700], false);
    for (let row = 0; row <= 5; row++) {
      const y = target.rowTop(row);
      if (row === 2 || row === 3) {
        target.paint(100, y, 380, y + 1);
        target.paint(400, y, 700, y + 1);
      } else target.paint(100, y, 700, y + 1);
    }
    for (const x of [300, 500]) columnLine(target, x, range(0, 5));
    const [grid] = findTableGrids(target);
    assert.equal(grid?.rows, 5);
    assert.equal(grid.cells.length, 15);
  });

  it('leaves out a ruled column line where a label runs across its place with no trace of it, not where a seal crossed its traces', () => {
    // Ruled in 8 rows of 10: row 8 keeps faint traces above and below a dark stroke across (a seal's); row 9 has
    // a label across.
    const target = page(10, [100, 300, 500, 700]);
    columnLine(target, 500, range(0, 10));
    columnLine(target, 300, range(0, 8));
    target.paint(300, target.rowTop(8), 301, target.rowTop(8) + 14, 190);
    target.paint(300, target.rowTop(9) - 14, 301, target.rowTop(9), 190);
    target.paint(280, target.rowTop(8) + 17, 320, target.rowTop(8) + 23);
    target.paint(220, target.rowTop(9) + 15, 380, target.rowTop(9) + 25);
    const [grid] = findTableGrids(target);
    assert.deepEqual(spans(grid, 8), [
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    assert.deepEqual(spans(grid, 9), [
      [2, 1],
      [1, 1],
    ]);
  });

  it('does not count heading rows across the table against a column line, so a line lost in one body row stands', () => {
    // Headings in rows 0 and 4; the line at x = 300 is lost in row 7, the line at 500 ruled in every body row.
    const target = page(8, [100, 300, 500, 700]);
    const body = [1, 2, 3, 5, 6, 7];
    columnLine(target, 500, body);
    columnLine(target, 300, [1, 2, 3, 5, 6]);
    const [grid] = findTableGrids(target);
    assert.deepEqual(spans(grid, 4), [[3, 1]]);
    assert.deepEqual(spans(grid, 7), [
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('carries a column line up into the figure row where it breaks off, not into a heading the other lines stop under', () => {
    // Row 0 a heading; the lines start in row 1, except the one at x = 400, which starts halfway down row 1.
    const target = page(5, [100, 250, 400, 550, 700]);
    for (const x of [250, 550]) columnLine(target, x, range(1, 5));
    columnLine(target, 400, range(2, 5));
    target.paint(400, target.rowTop(1) + 20, 401, target.rowTop(2));
    // And halfway into the heading row: a glyph's stroke that runs on into the line below it.
    target.paint(400, target.rowTop(0) + 20, 401, target.rowTop(1));
    const [grid] = findTableGrids(target);
    assert.deepEqual(spans(grid, 0), [[4, 1]]);
    assert.equal(spans(grid, 1).length, 4);
  });

  it('parts the figure cells of a row line broken at the right end, below headings, beside late label lines', () => {
    // Label column line (x = 200) starts in row 3 (labels across both label columns above); the row line under
    // row 1 is lost over the last column.
    const target = page(7, [100, 200, 300, 500, 700], false);
    for (let row = 0; row <= 7; row++) target.paint(100, target.rowTop(row), row === 2 ? 560 : 700, target.rowTop(row) + 1);
    for (const x of [300, 500]) columnLine(target, x, range(0, 7));
    columnLine(target, 200, range(3, 7));
    const [grid] = findTableGrids(target);
    assert.deepEqual(spans(grid, 1), [
      [2, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('finds a column line lost in every row where a double-width slot parts its text with bare paper, not in a label column', () => {
    // Seven columns 80 wide from x = 100; row 0 a heading whose text runs across x = 340, rows 1–3 a figure centred
    // in each column. `lost` columns have no line at all; `label` puts left-aligned labels (one of two words) in the
    // first column instead of figures.
    const columnXs = [100, 180, 260, 340, 420, 500, 580, 660];
    const grid = (lost: number[], label: boolean) => {
      const target = page(4, columnXs);
      for (const x of columnXs.slice(1, -1)) if (!lost.includes(x)) columnLine(target, x, range(0, 4));
      target.paint(300, target.rowTop(0) + 12, 380, target.rowTop(0) + 26);
      for (const row of [1, 2, 3]) {
        const [top, bottom] = [target.rowTop(row) + 13, target.rowTop(row) + 27];
        for (const x of columnXs.slice(label ? 2 : 0, -1)) target.paint(x + 35, top, x + 45, bottom);
        if (label) target.paint(110, top, 170, bottom);
        if (label && row === 2) target.paint(200, top, 240, bottom);
      }
      return findTableGrids(target)[0];
    };
    const found = grid([340], false);
    assert.equal(found?.columns, 7);
    assert.deepEqual(spans(found, 0), [
      [1, 1],
      [1, 1],
      [2, 1],
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    for (const row of [1, 2, 3]) assert.equal(spans(found, row).length, 7);
    assert.equal(grid([340, 420], false)?.columns, 7);
    assert.equal(grid([180], true)?.columns, 6);
  });

  it('drops a stray line closer to a column line than any column is narrow (residue beside the border)', () => {
    const target = page(4, [100, 300, 500, 700]);
    for (const x of [300, 500]) columnLine(target, x, range(0, 4));
    columnLine(target, 692, [1, 2]);
    assert.equal(findTableGrids(target)[0]?.columns, 3);
  });

  it('follows a slanted column line (a sheared page): cells beside it where it stands in their row, wiped all along', () => {
    // The inner column lines drift 12 pixels rightwards from the table's top to its bottom, beyond the wipe's reach
    // either side of their mean position.
    const target = page(8, [100, 700]);
    const [top, bottom] = [target.rowTop(0), target.rowTop(8) + 1];
    for (const x of [300, 500]) {
      for (let y = top; y <= bottom; y++) {
        const at = x + Math.round((12 * (y - top)) / (bottom - top));
        target.paint(at, y, at + 1, y);
      }
    }
    const [grid] = findTableGrids(target);
    assert.equal(grid?.columns, 3);
    const cell = (row: number) => grid.cells.find((found) => found.row === row && found.column === 1)!.box;
    // Where the line stands halfway down row 0 and row 7 (x + 0.75 and x + 11.25, its middle half a pixel right).
    assert.ok(Math.abs(cell(0).left - 301.25) <= 1 && Math.abs(cell(7).left - 311.75) <= 1, `${cell(0).left} ${cell(7).left}`);
    assert.ok(Math.abs(cell(7).right - 511.75) <= 1, `${cell(7).right}`);
    assert.equal(wipeRulings(target, [grid]).filter((value) => value < 128).length, 0);
  });

  it('takes a lone ruled row of several cells as a table (a page break cut it off), not a framed line of text', () => {
    // A tall row (its column lines span more than a glyph could), as the last row of table 四 on a page of its own.
    const lone = (columnXs: number[]) => {
      const target = page(0, columnXs, false);
      for (const y of [TOP, TOP + 60]) target.paint(columnXs[0]!, y, columnXs.at(-1)!, y + 1);
      for (const x of columnXs) target.paint(x, TOP, x + 1, TOP + 61);
      return findTableGrids(target);
    };
    assert.equal(lone([100, 250, 400, 550, 700])[0]?.columns, 4);
    assert.deepEqual(lone([100, 700]), []);
  });
});
