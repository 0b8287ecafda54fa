/**
 * Table 三 (收到和处理政府信息公开申请情况): finds its rows by label in the row stream, in template order, with
 * labels that wrap over several lines before, around or after their figures.
 */
import type { Anomaly, ReportCell } from './types.ts';
import { T3_OTHER_2021, T3_OTHER_ONE_ROW, T3_ROWS_ANY, type RowSpec } from './keys.ts';
import { placeRow } from './place.ts';
import { viewRow, type RowView, type SourceRow } from './rows.ts';

/** What was read of table 三. */
export interface Table3 {
  /** Cells of every row found, by key. */
  cells: Map<string, ReportCell>;
  anomalies: Anomaly[];
  /** Whether (六) 其他处理 was printed as one row (the 2019 layout). */
  oneRowOther: boolean;
  /** Row-stream index of the first and after the last row read; -1 when the table was not found. */
  start: number;
  end: number;
}

/** A row whose six applicant figures sum to its total reads consistently. */
function rowSumHolds(values: (number | null)[]): boolean {
  const total = values[6];
  if (total === null || total === undefined) return true;
  return values.slice(0, 6).reduce<number>((sum, value) => sum + (value ?? 0), 0) === total;
}

/** The remaining row whose label matches latest in the text: a row's own words come after leftovers of the one before. */
function matchRow(label: string, remaining: readonly RowSpec[]): RowSpec | null {
  let best: { spec: RowSpec; at: number } | null = null;
  for (const spec of remaining) {
    const match = spec.label.exec(label);
    if (!match) continue;
    const at = match.index + match[0].length;
    if (!best || at > best.at) best = { spec, at };
  }
  return best?.spec ?? null;
}

/** Running text between tables: sentences, not labels. */
function isProse(label: string): boolean {
  return label.length > 80 || /[。；;]/.test(label);
}

function isFigureRow(view: RowView): boolean {
  if (view.figureBeforeLabel) return false;
  // A table row with slots is a figure row even when every slot is blank; a text line needs a figure.
  return view.figureCount > 0 || (view.source.table !== undefined && view.slots.length > 0 && view.label !== '');
}

/**
 * Rows whose place in the template is fixed: every row of table 三 but (六) as one row, which stands in for the
 * 2021 template's three (六) rows. Only these are taken by their place alone.
 */
const FIXED_PLACE = T3_ROWS_ANY.filter((spec) => spec !== T3_OTHER_ONE_ROW);

/**
 * The row a figure row with an unrecognised label must be (an OCR-garbled label, "7.属于柠致披法囊参"): the one
 * template row between the rows read just before and just after it, when that is the only row it skipped.
 */
function rowByPlace(before: RowSpec | undefined, after: RowSpec): RowSpec | null {
  const between = before ? T3_ROWS_ANY.indexOf(before) + 1 : -1;
  const spec = T3_ROWS_ANY[between];
  return spec && T3_ROWS_ANY.indexOf(after) === between + 1 && FIXED_PLACE.includes(spec) ? spec : null;
}

/** A row taken by its place is recorded: its figures are read, its label was not. */
function byPlaceAnomaly(spec: RowSpec, view: RowView): Anomaly {
  return {
    kind: 'layout',
    id: `row_by_place:${spec.prefix}`,
    detail: `row label "${view.label}" matches no row of table 三; read as ${spec.prefix} by its place between the rows around it`,
  };
}

/** Reads table 三 from the row stream, starting at `from`. */
export function parseTable3(rows: readonly SourceRow[], from = 0): Table3 {
  const cells = new Map<string, ReportCell>();
  const anomalies: Anomaly[] = [];
  const place = (spec: RowSpec, view: RowView) => {
    const placed = placeRow(spec, view, rowSumHolds);
    for (const cell of placed.cells) cells.set(cell.key, cell);
    anomalies.push(...placed.anomalies);
  };
  let next = 0;
  let pending = '';
  let start = -1;
  let end = -1;
  let lastRead: RowSpec | undefined;
  let lastTableRow = false;
  /** Figure rows since the last row read whose labels matched no row (a bare figure line is stray, not a row). */
  let unmatched: RowView[] = [];
  for (let index = from; index < rows.length && next < T3_ROWS_ANY.length; index++) {
    const view = viewRow(rows[index]!);
    if (!isFigureRow(view)) {
      if (!isProse(view.label)) pending = (pending + view.label).slice(-200);
      continue;
    }
    const spec = matchRow(pending + view.label, T3_ROWS_ANY.slice(start === -1 ? 0 : next));
    pending = '';
    if (!spec || (start === -1 && spec !== T3_ROWS_ANY[0] && spec.prefix !== 't3.carried_over')) {
      // Table 四's figures (a row of ten or more) after table 三 has begun mean it is over.
      if (start !== -1 && view.figureCount >= 10) break;
      if (start !== -1 && view.label !== '') unmatched.push(view);
      continue;
    }
    // Between two table rows, only a table row can be the row between: a text line there is page furniture (a
    // page number, OCR's reading of a fold's shadow) that the page break put between them.
    const candidates =
      view.source.table !== undefined && lastTableRow ? unmatched.filter((row) => row.source.table !== undefined) : unmatched;
    const skipped = candidates.length === 1 ? rowByPlace(lastRead, spec) : null;
    if (skipped) {
      place(skipped, candidates[0]!);
      anomalies.push(byPlaceAnomaly(skipped, candidates[0]!));
    }
    unmatched = [];
    if (start === -1) start = index;
    next = T3_ROWS_ANY.indexOf(spec) + 1;
    end = index + 1;
    lastRead = spec;
    lastTableRow = view.source.table !== undefined;
    place(spec, view);
  }
  const hasSubRows = T3_OTHER_2021.some((spec) => cells.has(`${spec.prefix}.total`));
  const oneRowOther = cells.has(`${T3_OTHER_ONE_ROW.prefix}.total`) && !hasSubRows;
  return { cells, anomalies, oneRowOther, start, end };
}
