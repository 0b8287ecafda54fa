/**
 * Table 四 (行政复议、行政诉讼情况): one row of fifteen figures after table 三 — three groups of 结果维持, 结果纠正,
 * 其他结果, 尚未审结, 总计.
 */
import type { Anomaly, ReportCell } from './types.ts';
import { T4_COLUMNS, T4_GROUPS, T4_ROW } from './keys.ts';
import { placeRow } from './place.ts';
import { readFigure, viewRow, type RowView, type SourceRow } from './rows.ts';

/** What was read of table 四. */
export interface Table4 {
  cells: Map<string, ReportCell>;
  anomalies: Anomaly[];
}

/** Column headings of table 四 (结果维持, 结果纠正, 尚未审结), possibly spaced out letter by letter. */
const HEADER = /维持|纠正|审结/;

/** A reading holds when each group's four parts sum to its total (a blank total is not checked). */
function groupSumsHold(values: (number | null)[]): boolean {
  return T4_GROUPS.every((_, group) => {
    const parts = values.slice(group * 5, group * 5 + 4);
    const total = values[group * 5 + 4];
    return total === null || total === undefined || parts.reduce<number>((sum, value) => sum + (value ?? 0), 0) === total;
  });
}

/** The figure row of table 四: no label of its own, ten figures or more (or fifteen slots of a table grid). */
function isDataRow(view: RowView): boolean {
  if (view.label !== '' || view.figureBeforeLabel) return false;
  return view.figureCount >= 10 || (view.source.table !== undefined && view.slots.length === T4_ROW.metrics.length);
}

/** A text line of figures alone: possibly one part of a table-四 figure row that the layout broke in two. */
function isFigureLine(view: RowView): boolean {
  return view.source.table === undefined && view.label === '' && !view.figureBeforeLabel && view.figureCount > 0;
}

/**
 * A figure row of fewer than fifteen figures joined with the label-less figure lines right after it, as long as
 * the sum stays within fifteen; each figure keeps the line it stood on.
 */
function joinSplitRow(rows: readonly SourceRow[], index: number, first: RowView): { view: RowView; next: number } {
  let slots = first.slots.filter((cell) => readFigure(cell.text)).map((cell) => ({ ...cell, origin: first.source }));
  let next = index + 1;
  while (slots.length < T4_ROW.metrics.length && next < rows.length) {
    const view = viewRow(rows[next]!);
    const figures = view.slots.filter((cell) => readFigure(cell.text));
    if (!isFigureLine(view) || slots.length + figures.length > T4_ROW.metrics.length) break;
    slots = [...slots, ...figures.map((cell) => ({ ...cell, origin: view.source }))];
    next++;
  }
  return { view: { ...first, slots, figureCount: slots.length }, next };
}

/** Reads table 四 from the first figure row at or after `from` (after its headings, a row split over lines joined). */
export function parseTable4(rows: readonly SourceRow[], from = 0): Table4 {
  let header = false;
  for (let index = from; index < rows.length; index++) {
    let view = viewRow(rows[index]!);
    if (isFigureLine(view) && view.figureCount < T4_ROW.metrics.length && (header || isDataRow(view))) {
      const joined = joinSplitRow(rows, index, view);
      if (joined.view.figureCount === T4_ROW.metrics.length) view = joined.view;
    }
    if (!isDataRow(view)) {
      header ||= HEADER.test(view.label);
      continue;
    }
    const placed = placeRow(T4_ROW, view, groupSumsHold, undefined, T4_COLUMNS.length);
    const layout: Anomaly[] = header
      ? []
      : [{ kind: 'layout', id: 'layout:t4', detail: 'table 四 figures with no column headings above them' }];
    return { cells: new Map(placed.cells.map((cell) => [cell.key, cell])), anomalies: [...layout, ...placed.anomalies] };
  }
  return { cells: new Map(), anomalies: [] };
}
