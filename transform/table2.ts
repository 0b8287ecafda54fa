/**
 * Table 二 (主动公开政府信息情况): rows recognised by their exact label (规章, 行政许可 …) before table 三, amounts
 * converted to the unit their key names.
 */
import type { Anomaly, ReportCell } from './types.ts';
import { T2_ROWS_2019, T2_ROWS_2021, type RowSpec, type TableFormat } from './keys.ts';
import { placeRow, type SlotReader } from './place.ts';
import { readFigure, shiftDecimal, viewRow, type SourceRow } from './rows.ts';

/** What was read of table 二. */
export interface Table2 {
  cells: Map<string, ReportCell>;
  anomalies: Anomaly[];
}

/** Reads amounts in the unit the key names: `amount_yuan` in 元, `amount_wan` in 万元; `headerUnit` is the column's. */
function amountReader(headerUnit: '万元' | '元' | null, anomalies: Anomaly[], key: (metric: string) => string): SlotReader {
  return (cell, metric) => {
    const figure = readFigure(cell.text);
    if (!figure) return null;
    const unit = figure.unit ?? headerUnit;
    if (metric === 'amount_yuan') {
      if (unit === null && figure.value !== 0) {
        anomalies.push({ kind: 'unit', id: `unit:${key(metric)}`, detail: `${key(metric)}: '${cell.text}' has no unit; read as 元` });
      }
      return unit === '万元' ? shiftDecimal(figure.value, 4) : figure.value;
    }
    if (metric === 'amount_wan' && unit === '元') return Number((figure.value / 10000).toFixed(6));
    return figure.value;
  };
}

function unitOf(header: string): '万元' | '元' | null {
  if (/万元/.test(header)) return '万元';
  return /[(（]元[)）]|单位[:：]元/.test(header) ? '元' : null;
}

/** A row label without its serial number (1.) or a unit in brackets after it (规章（件）, 政府集中采购(万元)). */
function bareLabel(label: string): string {
  return label.replace(/^\d+[.、．]/, '').replace(/\([^()]{1,6}\)$/, '');
}

/** Reads table 二 of the given template from rows [from, to) of the stream. */
export function parseTable2(rows: readonly SourceRow[], format: TableFormat, from = 0, to = rows.length): Table2 {
  const specs: readonly RowSpec[] = format === '2021' ? T2_ROWS_2021 : T2_ROWS_2019;
  const cells = new Map<string, ReportCell>();
  const anomalies: Anomaly[] = [];
  const found = new Set<RowSpec>();
  let header = '';
  for (let index = from; index < to; index++) {
    const view = viewRow(rows[index]!);
    const hasSlots = view.figureCount > 0 || (view.source.table !== undefined && view.slots.length > 0);
    if (!hasSlots || view.figureBeforeLabel) {
      header = (header + view.label).slice(-100);
      continue;
    }
    const label = bareLabel(view.label);
    const spec = specs.find((candidate) => !found.has(candidate) && candidate.label.test(label));
    if (spec && view.slots.length <= spec.metrics.length + 2) {
      found.add(spec);
      const read = amountReader(unitOf(header), anomalies, (metric) => `${spec.prefix}.${metric}`);
      const placed = placeRow(spec, view, undefined, read);
      for (const cell of placed.cells) cells.set(cell.key, cell);
      anomalies.push(...placed.anomalies);
    }
    header = '';
  }
  return { cells, anomalies };
}
