/**
 * The parse stage: an ExtractedDocument becomes a ParsedReport — metadata, every statutory cell of its format
 * with provenance, and the anomalies of the source (identities that fail, cells missing or surplus).
 */
import type { ExtractedDocument } from '../extract/types.ts';
import type { Anomaly, ParsedReport, ReportCell, ReportContext, ReportMeta } from './types.ts';
import { cellKeys, type TableFormat } from './keys.ts';
import { checkIdentities } from './identities.ts';
import { checkNarrative } from './narrative.ts';
import { chooseOcrReadings } from './ocr-choice.ts';
import { checkOcrUncertainty } from './ocr-uncertain.ts';
import { readReportMeta } from './meta.ts';
import { readRows } from './rows.ts';
import { parseTable2 } from './table2.ts';
import { parseTable3 } from './table3.ts';
import { parseTable4 } from './table4.ts';

/**
 * Version of the parser's output; bumped whenever the same document would parse differently (parse-4: a table 三
 * row whose label is unreadable taken by its place; parse-3: OCR readings chosen by the identities, counts with a
 * fraction reported).
 */
export const PARSER_VERSION = 'parse-4';

/** The template whose tables to read: the detected one, else the one in force for the year reported on. */
function tableFormatOf(meta: ReportMeta): TableFormat | null {
  if (meta.format === '2019' || meta.format === '2021') return meta.format;
  if (meta.format === 'pre2019' || meta.year === null) return null;
  return meta.year >= 2021 ? '2021' : meta.year >= 2019 ? '2019' : null;
}

/** One missing_cell anomaly per row whose cells were not found at all. */
function missingRows(keys: string[], found: ReadonlyMap<string, ReportCell>): Anomaly[] {
  const rows = new Map<string, string[]>();
  for (const key of keys) {
    if (found.has(key)) continue;
    const prefix = key.slice(0, key.lastIndexOf('.'));
    rows.set(prefix, [...(rows.get(prefix) ?? []), key]);
  }
  return [...rows].map(([prefix, missing]) => ({
    kind: 'missing_cell' as const,
    id: `missing_cell:${prefix}`,
    detail: `${prefix}: not found in the document (${missing.length} cells)`,
  }));
}

/** Keys whose figures are amounts of money; every other figure is a count of requests, items or decisions. */
const AMOUNT_KEY = /\.amount_(?:yuan|wan)$/;

/** A count printed with a fraction ("10.5" items): a misprint, or a misread where OCR read it, never rounded away. */
function fractionalCounts(cells: ReportCell[]): Anomaly[] {
  return cells
    .filter((cell) => cell.value !== null && !Number.isInteger(cell.value) && !AMOUNT_KEY.test(cell.key))
    .map((cell) => ({
      kind: 'fractional_count' as const,
      id: `fractional_count:${cell.key}`,
      detail: `${cell.key}: a count printed as ${JSON.stringify(cell.provenance?.raw ?? String(cell.value))}`,
    }));
}

/**
 * Parses a document into a report: metadata always; for a 2019- or 2021-format report every key of its format
 * (null with no provenance where not found), the anomalies of placing them, and the identities that fail.
 */
export function parseReport(doc: ExtractedDocument, context: ReportContext = {}): ParsedReport {
  const meta = readReportMeta(doc, context);
  const report: ParsedReport = { sha256: doc.sha256, parserVersion: PARSER_VERSION, meta, cells: [], anomalies: [] };
  const format = meta.isReport ? tableFormatOf(meta) : null;
  if (!format) return report;
  const rows = readRows(doc);
  const t3 = parseTable3(rows);
  const t2 = parseTable2(rows, format, 0, t3.start === -1 ? rows.length : t3.start);
  const t4 = parseTable4(rows, t3.end === -1 ? 0 : t3.end);
  const found = new Map([...t2.cells, ...t3.cells, ...t4.cells]);
  const oneRowOther = format === '2021' && t3.oneRowOther;
  const keys = cellKeys(format, { oneRowOther });
  const chosen = chooseOcrReadings(
    doc,
    keys.map((key) => found.get(key) ?? { key, value: null, provenance: null }),
  );
  report.cells = chosen.cells;
  const values = new Map(report.cells.map((cell) => [cell.key, cell.value]));
  report.anomalies = [
    ...(oneRowOther
      ? [
          {
            kind: 'format' as const,
            id: 'format:t3.other',
            detail: 'a 2021-format report printing (六)其他处理 as one row; read under t3.other.*',
          },
        ]
      : []),
    ...t2.anomalies,
    ...t3.anomalies,
    ...t4.anomalies,
    ...missingRows(keys, found),
    ...fractionalCounts(report.cells),
    ...checkIdentities(values),
    ...checkNarrative(doc, values),
  ];
  report.anomalies.push(...chosen.anomalies, ...checkOcrUncertainty(doc, report.cells, report.anomalies));
  return report;
}
