/**
 * Choosing among the readings OCR offers for a figure, by the template's identities: where identities fail over
 * OCRed figures that have other readings, every combination of readings is tried, and if exactly one makes every
 * identity hold, its figures are taken — each change recorded as an `ocr_uncertain` anomaly
 * (`ocr_uncertain:chosen:<key>`) naming both readings. Otherwise nothing changes and the failures stand: a
 * document's own inconsistency is never repaired by a guess.
 */
import type { ExtractedDocument } from '../extract/types.ts';
import { checkIdentities, identityCovers } from './identities.ts';
import { ocrSlot } from './ocr-uncertain.ts';
import { readFigure } from './rows.ts';
import type { Anomaly, ReportCell } from './types.ts';

/** Above this many combinations nothing is tried: the identities could no longer single one out honestly. */
const MAX_COMBINATIONS = 4096;

interface Doubtful {
  index: number;
  /** The figure's other readings, as values (the first reading is the cell's value). */
  others: number[];
}

/** The OCRed figures in failing identities that have other readings. */
function doubtfulCells(doc: ExtractedDocument, cells: ReportCell[], failing: string[]): Doubtful[] {
  return cells.flatMap((cell, index) => {
    if (cell.value === null || !failing.some((id) => identityCovers(id, cell.key))) return [];
    const readings = ocrSlot(doc, cell)?.ocr.alternatives ?? [];
    const others = [...new Set(readings.map((text) => readFigure(text)?.value ?? null))].filter(
      (value): value is number => value !== null && value !== cell.value,
    );
    return others.length > 0 ? [{ index, others }] : [];
  });
}

/** Every combination of the doubtful cells' readings but the one read (−1 keeps a cell's value). */
function* combinations(doubtful: Doubtful[]): Generator<number[]> {
  const choice = doubtful.map(() => -1);
  for (;;) {
    let position = 0;
    // Counts like an odometer: a cell past its last reading goes back to its value and carries to the next.
    while (position < doubtful.length) {
      choice[position] = choice[position]! + 1;
      if (choice[position]! < doubtful[position]!.others.length) break;
      choice[position++] = -1;
    }
    if (position === doubtful.length) return;
    yield choice;
  }
}

function describeChoice(cell: ReportCell, value: number, raw: string): string {
  return `${cell.key} read as ${JSON.stringify(raw)}; ${value} taken instead: of the readings OCR offered, the only combination under which every identity holds`;
}

/**
 * The cells with OCR's readings chosen by the identities where exactly one combination satisfies them all, and
 * an `ocr_uncertain` anomaly for each figure changed. Cells come back unchanged when no choice is warranted.
 */
export function chooseOcrReadings(doc: ExtractedDocument, cells: ReportCell[]): { cells: ReportCell[]; anomalies: Anomaly[] } {
  const failing = checkIdentities(new Map(cells.map((cell) => [cell.key, cell.value]))).map((anomaly) => anomaly.id);
  if (failing.length === 0) return { cells, anomalies: [] };
  const doubtful = doubtfulCells(doc, cells, failing);
  const count = doubtful.reduce((product, cell) => product * (cell.others.length + 1), 1);
  if (doubtful.length === 0 || count > MAX_COMBINATIONS) return { cells, anomalies: [] };
  let chosen: number[] | null = null;
  for (const choice of combinations(doubtful)) {
    const values = new Map(cells.map((cell) => [cell.key, cell.value]));
    doubtful.forEach((cell, position) => {
      if (choice[position]! >= 0) values.set(cells[cell.index]!.key, cell.others[choice[position]!]!);
    });
    if (checkIdentities(values).length > 0) continue;
    if (chosen) return { cells, anomalies: [] }; // two ways to satisfy the identities: neither is taken
    chosen = [...choice];
  }
  if (!chosen) return { cells, anomalies: [] };
  const changed = [...cells];
  const anomalies: Anomaly[] = [];
  doubtful.forEach((cell, position) => {
    if (chosen[position]! < 0) return;
    const before = cells[cell.index]!;
    const value = cell.others[chosen[position]!]!;
    changed[cell.index] = { ...before, value };
    anomalies.push({
      kind: 'ocr_uncertain',
      id: `ocr_uncertain:chosen:${before.key}`,
      detail: describeChoice(before, value, before.provenance?.raw ?? ''),
    });
  });
  return { cells: changed, anomalies };
}
