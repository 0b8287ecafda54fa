/**
 * Scoring one parsed report against its truth file (the corpus's truth shape, see ../shared/corpus/README.md):
 * cells right or wrong (honouring `alternatives`), source anomalies found or missed, spurious anomalies, and
 * metadata fields right. Pure: no I/O, so it is tested on its own.
 */
import { identityCovers } from '../transform/identities.ts';
import type { Anomaly, ParsedReport } from '../transform/types.ts';

/** One source anomaly as a truth file declares it: identities by id, the others by kind and `where`. */
export interface TruthAnomaly {
  kind: string;
  id?: string;
  where?: string;
  expected?: number | null;
  found?: number | null;
}

/** A truth file: the figures, metadata and source anomalies a document really holds. */
export interface Truth {
  name: string;
  document?: string;
  meta: Partial<Record<'region' | 'region_code' | 'issuer' | 'year' | 'format' | 'level', string | number | null>> & {
    is_report?: boolean;
  };
  cells: Record<string, number | null>;
  anomalies: TruthAnomaly[];
  alternatives?: Record<string, (number | null)[]>;
}

/** What one document scored. */
export interface DocumentScore {
  /** The entry's label: its path under the docs folder (a .txt and a .pdf of one name are two entries). */
  entry: string;
  cells: { compared: number; right: number; wrong: string[] };
  anomalies: { expected: number; found: number; missed: string[]; spurious: string[] };
  meta: { compared: number; right: number; wrong: string[] };
  /** Wrong cells in a report that carries no anomaly at all: errors nothing would ever point at. */
  silentErrors: number;
  /** Wrong cells no anomaly of the report points at (by cell, row, table or identity): stricter than silentErrors. */
  unflaggedCells: string[];
  /** Set when extract or parse threw; every cell then counts as wrong. */
  error?: string;
}

function sameNumber(expected: number | null, value: number | null): boolean {
  return expected === value || (expected !== null && value !== null && Math.abs(expected - value) < 1e-6);
}

/** Whether a value is the truth's, or one of the readings its `alternatives` also accept. */
export function acceptsCell(truth: Truth, key: string, value: number | null): boolean {
  const accepted = truth.alternatives?.[key] ?? [truth.cells[key] ?? null];
  return accepted.some((expected) => sameNumber(expected, value));
}

/** The keys of the truth's cells the report gets wrong. */
function wrongKeys(truth: Truth, report: ParsedReport): string[] {
  const found = new Map(report.cells.map((cell) => [cell.key, cell.value]));
  return Object.keys(truth.cells).filter((key) => !(found.has(key) && acceptsCell(truth, key, found.get(key) ?? null)));
}

function scoreCells(truth: Truth, report: ParsedReport, wrongCellKeys: string[]): DocumentScore['cells'] {
  const found = new Map(report.cells.map((cell) => [cell.key, cell]));
  const wrong = wrongCellKeys.map((key) => {
    const cell = found.get(key);
    const shown = cell ? `${cell.value} (raw ${JSON.stringify(cell.provenance?.raw ?? null)})` : 'no key';
    return `${key}: expected ${truth.cells[key]} found ${shown}`;
  });
  const compared = Object.keys(truth.cells).length;
  return { compared, right: compared - wrong.length, wrong };
}

/**
 * Whether an anomaly points at a cell: an identity (or an `ocr_uncertain` over one) at the cells it sums, any other
 * at the cell, row or table its id names (`ocr_uncertain:t2.fees.change`, `missing_cell:t3.partial`, `layout:t4`).
 */
export function anomalyPointsAt(anomaly: Anomaly, key: string): boolean {
  const subject = anomaly.kind === 'identity' ? anomaly.id : anomaly.id.slice(anomaly.id.indexOf(':') + 1);
  if (/^(row_sum|results_sum|balance|t4_sum):/.test(subject)) return identityCovers(subject, key);
  const scope = scopeOf(subject);
  return scope !== null && (key === scope || key.startsWith(`${scope}.`));
}

/** The truth's metadata fields as the report names them; `is_report` is expected true unless the truth says. */
function metaPairs(truth: Truth, report: ParsedReport): [string, unknown, unknown][] {
  const found: Record<string, unknown> = {
    region: report.meta.regionName,
    region_code: report.meta.regionCode,
    issuer: report.meta.issuer,
    year: report.meta.year,
    format: report.meta.format,
    level: report.meta.level,
  };
  const pairs: [string, unknown, unknown][] = [['is_report', truth.meta.is_report ?? true, report.meta.isReport]];
  for (const [field, expected] of Object.entries(truth.meta)) {
    if (field in found) pairs.push([field, expected, found[field]]);
  }
  return pairs;
}

function scoreMeta(truth: Truth, report: ParsedReport): DocumentScore['meta'] {
  const pairs = metaPairs(truth, report);
  const wrong = pairs
    .filter(([, expected, found]) => expected !== found)
    .map(([field, expected, found]) => `${field}: expected ${JSON.stringify(expected)} found ${JSON.stringify(found)}`);
  return { compared: pairs.length, right: pairs.length - wrong.length, wrong };
}

/** The key prefix an anomaly is about (`t3.partial`, `t4`), from a truth `where` or a found id. */
function scopeOf(text: string): string | null {
  return /t[234](?:\.[a-z_]+)*/.exec(text)?.[0] ?? null;
}

/** One scope inside the other: `t3` covers `t3.partial`, and `t3.other` is covered by `t3`. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

/**
 * Whether a found anomaly is the source anomaly a truth file declares: same kind; an identity by id (and the
 * same expected/found where the truth gives them); any other by the table or key prefix its `where` names.
 */
export function matchesAnomaly(expected: TruthAnomaly, found: Anomaly): boolean {
  if (expected.kind !== found.kind) return false;
  if (expected.id) {
    if (expected.id !== found.id) return false;
    const sameFigure = (a: number | null | undefined, b: number | null | undefined) => a === undefined || a === b;
    return sameFigure(expected.expected, found.expected) && sameFigure(expected.found, found.found);
  }
  const truthScope = scopeOf(expected.where ?? '');
  const foundScope = scopeOf(found.id.slice(found.id.indexOf(':') + 1));
  return truthScope === null || (foundScope !== null && overlaps(truthScope, foundScope));
}

/**
 * A truth anomaly is found when any reported anomaly matches it; a reported anomaly is spurious when it matches
 * none (one source anomaly may be reported row by row, e.g. twelve rows each one cell short).
 */
function scoreAnomalies(truth: Truth, report: ParsedReport): DocumentScore['anomalies'] {
  const missed = truth.anomalies
    .filter((expected) => !report.anomalies.some((found) => matchesAnomaly(expected, found)))
    .map((expected) => `${expected.kind} ${expected.id ?? expected.where ?? ''}`.trim());
  const spurious = report.anomalies
    .filter((found) => !truth.anomalies.some((expected) => matchesAnomaly(expected, found)))
    .map((found) => found.id);
  return { expected: truth.anomalies.length, found: truth.anomalies.length - missed.length, missed, spurious };
}

/** Scores a parsed report against its truth. */
export function scoreDocument(entry: string, truth: Truth, report: ParsedReport): DocumentScore {
  const wrong = wrongKeys(truth, report);
  const cells = scoreCells(truth, report, wrong);
  return {
    entry,
    cells,
    anomalies: scoreAnomalies(truth, report),
    meta: scoreMeta(truth, report),
    silentErrors: report.anomalies.length === 0 ? cells.wrong.length : 0,
    unflaggedCells: wrong.filter((key) => !report.anomalies.some((anomaly) => anomalyPointsAt(anomaly, key))),
  };
}

/** The score of a document that could not be extracted or parsed: every cell and field wrong, every anomaly missed. */
export function failedDocument(entry: string, truth: Truth, error: string): DocumentScore {
  const compared = Object.keys(truth.cells).length;
  const metaFields = Object.keys(truth.meta).length + 1;
  const missed = truth.anomalies.map((anomaly) => `${anomaly.kind} ${anomaly.id ?? anomaly.where ?? ''}`.trim());
  return {
    entry,
    cells: { compared, right: 0, wrong: [`every cell: ${error}`] },
    anomalies: { expected: truth.anomalies.length, found: 0, missed, spurious: [] },
    meta: { compared: metaFields, right: 0, wrong: [error] },
    silentErrors: 0,
    unflaggedCells: [],
    error,
  };
}

/** Totals over documents. */
export interface EvalTotals {
  documents: number;
  cells: number;
  right: number;
  wrong: number;
  accuracy: number;
  anomaliesFound: number;
  missedAnomalies: number;
  spuriousAnomalies: number;
  metaRight: number;
  metaCompared: number;
  silentErrors: number;
  unflaggedCells: number;
  errors: number;
}

/** Accuracy in percent with at most two decimals (100, 99.87). */
export function percentOf(right: number, total: number): number {
  return total === 0 ? 0 : Number(((100 * right) / total).toFixed(2));
}

/** Sums the per-document scores. */
export function totalScores(scores: readonly DocumentScore[]): EvalTotals {
  const sum = (pick: (score: DocumentScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const cells = sum((score) => score.cells.compared);
  const right = sum((score) => score.cells.right);
  return {
    documents: scores.length,
    cells,
    right,
    wrong: cells - right,
    accuracy: percentOf(right, cells),
    anomaliesFound: sum((score) => score.anomalies.found),
    missedAnomalies: sum((score) => score.anomalies.missed.length),
    spuriousAnomalies: sum((score) => score.anomalies.spurious.length),
    metaRight: sum((score) => score.meta.right),
    metaCompared: sum((score) => score.meta.compared),
    silentErrors: sum((score) => score.silentErrors),
    unflaggedCells: sum((score) => score.unflaggedCells.length),
    errors: scores.filter((score) => score.error !== undefined).length,
  };
}

/** The eval's last line, in the exact shape other tools read. */
export function formatLastLine(totals: EvalTotals): string {
  return `eval: accuracy=${totals.accuracy} cells=${totals.cells} wrong=${totals.wrong} missed_anomalies=${totals.missedAnomalies} silent_errors=${totals.silentErrors} unflagged_cells=${totals.unflaggedCells}`;
}
