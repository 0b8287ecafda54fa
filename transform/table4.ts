/**
 * Table 四 (行政复议、行政诉讼情况): one row of fifteen figures after table 三 — three groups of 结果维持, 结果纠正,
 * 其他结果, 尚未审结, 总计.
 */
import type { Anomaly, ReportCell } from './types.ts';
import { T4_COLUMNS, T4_GROUPS, type RowSpec } from './keys.ts';
import { placeRow } from './place.ts';
import { viewRow, type RowView, type SourceRow } from './rows.ts';

/** What was read of table 四. */
export interface Table4 {
  cells: Map<string, ReportCell>;
  anomalies: Anomaly[];
}

/** The whole table as one row of fifteen slots. */
const T4_ROW: RowSpec = {
  prefix: 't4',
  metrics: T4_GROUPS.flatMap((group) => T4_COLUMNS.map((column) => `${group}.${column}`)),
  label: /行政复议|行政诉讼/,
};

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

/** Reads table 四 from the first figure row at or after `from`. */
export function parseTable4(rows: readonly SourceRow[], from = 0): Table4 {
  let header = false;
  for (let index = from; index < rows.length; index++) {
    const view = viewRow(rows[index]!);
    if (!isDataRow(view)) {
      header ||= HEADER.test(view.label);
      continue;
    }
    const placed = placeRow(T4_ROW, view, groupSumsHold, undefined, T4_COLUMNS.length);
    const layout: Anomaly[] = header ? [] : [{ kind: 'layout', id: 'layout:t4', detail: 'table 四 figures with no column headings above them' }];
    return { cells: new Map(placed.cells.map((cell) => [cell.key, cell])), anomalies: [...layout, ...placed.anomalies] };
  }
  return { cells: new Map(), anomalies: [] };
}
