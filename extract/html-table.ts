/** Turns an HTML <table> into a cell grid: rowspan/colspan expanded, blank cells kept as ''. */
import type { Element } from 'domhandler';
import type { TableCell } from './types.ts';

/** Browsers cap spans (colspan 1000, rowspan 65534); a hostile page must not make a huge grid. */
const MAX_COLSPAN = 1000;

/** The table's own rows: those of its thead/tbody/tfoot and direct <tr>s, never those of nested tables. */
export function ownRows(table: Element): Element[] {
  return childElements(table).flatMap((child) => {
    if (child.name === 'tr') return [child];
    if (child.name === 'thead' || child.name === 'tbody' || child.name === 'tfoot') {
      return childElements(child).filter((row) => row.name === 'tr');
    }
    return [];
  });
}

/** The row's own cells (<td>, <th>). */
export function ownCells(row: Element): Element[] {
  return childElements(row).filter((cell) => cell.name === 'td' || cell.name === 'th');
}

function childElements(element: Element): Element[] {
  return element.children.filter((child): child is Element => child.type === 'tag');
}

function span(cell: Element, attribute: 'rowspan' | 'colspan', max: number): number {
  const value = Number.parseInt(cell.attribs[attribute] ?? '1', 10);
  // rowspan="0" means "to the end of the table" in HTML; anything unparsable means 1.
  if (attribute === 'rowspan' && value === 0) return max;
  return Number.isFinite(value) && value >= 1 ? Math.min(value, max) : 1;
}

/**
 * Lays the cells out on a grid the way browsers do: each cell takes the first free slot of its row and covers
 * rowspan × colspan slots; covered slots repeat its text with spanned:true. Holes left by short rows are ''.
 */
export function buildTableGrid(table: Element, cellText: (cell: Element) => string): TableCell[][] {
  const rows = ownRows(table);
  const grid: (TableCell | undefined)[][] = rows.map(() => []);
  rows.forEach((row, rowIndex) => {
    let column = 0;
    for (const cell of ownCells(row)) {
      const slots = grid[rowIndex]!;
      while (slots[column] !== undefined) column++;
      const text = cellText(cell);
      const rowspan = span(cell, 'rowspan', rows.length - rowIndex);
      const colspan = span(cell, 'colspan', MAX_COLSPAN);
      for (let down = 0; down < rowspan; down++) {
        for (let across = 0; across < colspan; across++) {
          const slot: TableCell = down === 0 && across === 0 ? { text } : { text, spanned: true };
          grid[rowIndex + down]![column + across] = slot;
        }
      }
      column += colspan;
    }
  });
  return grid.map((slots) => Array.from(slots, (slot) => slot ?? { text: '' }));
}
