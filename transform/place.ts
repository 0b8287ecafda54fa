/**
 * Placing a row's figures into its columns: by slot where the row has exactly one slot per column, else by
 * figure order; a row with a surplus or a missing cell is placed only as far as the template makes it unambiguous.
 */
import type { Anomaly, ReportCell } from './types.ts';
import type { RowSpec } from './keys.ts';
import { provenanceOf, readFigure, type RowView, type SourceCell } from './rows.ts';

/** Whether a reading of a row's values is consistent with the template's identities. */
export type RowCheck = (values: (number | null)[]) => boolean;

/** A row's cells under its keys, and what was wrong with the row. */
export interface PlacedRow {
  cells: ReportCell[];
  anomalies: Anomaly[];
}

/** Converts a slot to its value: a blank slot is null, never 0. */
export type SlotReader = (cell: SourceCell, metric: string) => number | null;

const plainValue: SlotReader = (cell) => readFigure(cell.text)?.value ?? null;

function cellsFrom(spec: RowSpec, view: RowView, slots: (SourceCell | null)[], read: SlotReader): ReportCell[] {
  return spec.metrics.map((metric, index) => {
    const slot = slots[index] ?? null;
    return {
      key: `${spec.prefix}.${metric}`,
      value: slot ? read(slot, metric) : null,
      provenance: slot ? provenanceOf(view.source, slot) : null,
    };
  });
}

/**
 * Blank slots of a row placed by position, one anomaly per group (a t3 row, a t4 group). A table grid's blank is
 * a blank cell; in a text line a lone blank among figures may as well be a lost cell, so it is reported as missing.
 */
function blankAnomalies(cells: ReportCell[], fromTable: boolean, groupSize: number): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (let start = 0; start < cells.length; start += groupSize) {
    const group = cells.slice(start, start + groupSize);
    const blanks = group.filter((cell) => cell.value === null);
    if (blanks.length === 0) continue;
    const prefix = group[0]!.key.slice(0, group[0]!.key.lastIndexOf('.'));
    const kind = fromTable || blanks.length === group.length ? 'blank_cell' : 'missing_cell';
    const keys = blanks.map((cell) => cell.key.slice(prefix.length + 1)).join(', ');
    anomalies.push({ kind, id: `${kind}:${prefix}`, detail: `${prefix}: blank ${keys}` });
  }
  return anomalies;
}

/** Every run of `width` consecutive figures whose reading passes the check, or all runs when there is no check. */
function consistentWindows(figures: SourceCell[], width: number, check: RowCheck | undefined, read: SlotReader): SourceCell[][] {
  const windows: SourceCell[][] = [];
  for (let start = 0; start + width <= figures.length; start++) windows.push(figures.slice(start, start + width));
  if (!check) return windows.slice(0, 1);
  return windows.filter((window) => check(window.map((cell) => read(cell, ''))));
}

function sameValues(windows: SourceCell[][], read: SlotReader): boolean {
  const readings = windows.map((window) => window.map((cell) => read(cell, '')).join(','));
  return readings.every((reading) => reading === readings[0]);
}

/**
 * The slots without blanks before the first figure beyond the row's width: an empty label cell the grid kept apart
 * from the label ("（七）总计" over two label columns). A row's figures end in its total, so surplus slots lead.
 */
function withoutLeadingBlanks(slots: SourceCell[], width: number): SourceCell[] {
  let surplus = slots.length - width;
  let start = 0;
  while (surplus-- > 0 && readFigure(slots[start]!.text) === null) start++;
  return slots.slice(start);
}

/**
 * Places a row's figures under the spec's keys. `check` decides between readings of a row with surplus cells:
 * when every consistent reading gives the same values they are taken, otherwise the row is left null.
 */
export function placeRow(
  spec: RowSpec,
  view: RowView,
  check?: RowCheck,
  read: SlotReader = plainValue,
  groupSize = spec.metrics.length,
): PlacedRow {
  const width = spec.metrics.length;
  const slots = withoutLeadingBlanks(view.slots, width);
  if (slots.length === width) {
    const cells = cellsFrom(spec, view, slots, read);
    return { cells, anomalies: blankAnomalies(cells, view.source.table !== undefined, groupSize) };
  }
  const figures = view.slots.filter((cell) => readFigure(cell.text));
  if (figures.length === width) return { cells: cellsFrom(spec, view, figures, read), anomalies: [] };
  const where = spec.prefix;
  if (figures.length > width) {
    const windows = consistentWindows(figures, width, check, read);
    const detail = `${where}: ${figures.length} figures for ${width} columns`;
    if (windows.length > 0 && sameValues(windows, read)) {
      return { cells: cellsFrom(spec, view, windows[0]!, read), anomalies: [{ kind: 'extra_cell', id: `extra_cell:${where}`, detail }] };
    }
    return {
      cells: cellsFrom(spec, view, [], read),
      anomalies: [{ kind: 'extra_cell', id: `extra_cell:${where}`, detail: `${detail}; no unambiguous reading, left blank` }],
    };
  }
  return placeShortRow(spec, view, figures, { check, read, groupSize });
}

/** One reading of a short row: each column's value, and whether it was printed or worked out from its group's sum. */
interface Reading {
  values: (number | null)[];
  slots: (SourceCell | null)[];
}

/**
 * The reading with the lost cell at `lost`: its value worked out from its group (groups of `groupSize`, the last
 * column of each its total), or null when that would be negative, so the reading is impossible.
 */
function readingWithLost(figures: SourceCell[], lost: number, groupSize: number, read: SlotReader): Reading | null {
  const slots = [...figures.slice(0, lost), null, ...figures.slice(lost)];
  const values = slots.map((slot) => (slot ? read(slot, '') : null));
  const start = lost - (lost % groupSize);
  const group = values.slice(start, start + groupSize);
  const partsSum = (skip: number) => group.slice(0, -1).reduce<number>((sum, value, index) => sum + (index === skip ? 0 : (value ?? 0)), 0);
  const isTotal = lost % groupSize === groupSize - 1;
  const total = group.at(-1) ?? null;
  const derived = isTotal ? partsSum(-1) : total === null ? null : total - partsSum(lost % groupSize);
  if (derived === null || derived < 0) return null;
  values[lost] = derived;
  return { values, slots };
}

/**
 * A row one figure short with no blank slot to say which cell was lost. Every position of the lost cell is tried,
 * its value worked out from the identity (a part = total − the other parts; a total = the sum of its parts); a
 * column is placed only where every reading the identities allow gives it the same value and some reading
 * prints it; a total that may be the lost cell stays null. Everything else stays null. Without identities (table 二) no reading can be preferred.
 */
function placeShortRow(
  spec: RowSpec,
  view: RowView,
  figures: SourceCell[],
  options: { check: RowCheck | undefined; read: SlotReader; groupSize: number },
): PlacedRow {
  const width = spec.metrics.length;
  const where = spec.prefix;
  const readings: Reading[] = [];
  if (options.check && figures.length === width - 1) {
    for (let lost = 0; lost < width; lost++) {
      const reading = readingWithLost(figures, lost, options.groupSize, options.read);
      if (reading && options.check(reading.values)) readings.push(reading);
    }
  }
  const isTotal = (column: number) => column % options.groupSize === options.groupSize - 1;
  const slots = spec.metrics.map((_, column) => agreedSlot(readings, column, isTotal(column)));
  const cells = cellsFrom(spec, view, slots, options.read);
  const placed = slots.filter((slot) => slot !== null).length;
  const detail = `${where}: ${figures.length} figures for ${width} columns; ${placed} placed where the identities leave one reading`;
  return { cells, anomalies: [{ kind: 'missing_cell', id: `missing_cell:${where}`, detail }] };
}

/**
 * The printed slot of a column when every reading agrees on its value and at least one reading prints it. A total
 * that may be the lost cell stays null: it would only repeat the sum of its parts, which the document did not print.
 */
function agreedSlot(readings: readonly Reading[], column: number, isTotal: boolean): SourceCell | null {
  if (readings.length === 0) return null;
  if (isTotal && readings.some((reading) => reading.slots[column] === null)) return null;
  const value = readings[0]!.values[column];
  if (readings.some((reading) => reading.values[column] !== value)) return null;
  return readings.find((reading) => reading.slots[column])?.slots[column] ?? null;
}
