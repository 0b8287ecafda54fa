/**
 * Honest uncertainty for figures read from images: a cell the engine read with low confidence (or where its two
 * passes disagreed), and every identity that fails over OCRed cells, become `ocr_uncertain` anomalies naming the
 * cell, its reading and its box on the page — a misreading is reported, never silently taken as the figure.
 */
import type { ExtractedDocument, OcrReading, TableCell } from '../extract/types.ts';
import { identityCovers } from './identities.ts';
import type { Anomaly, ReportCell } from './types.ts';

/** Below this confidence (0–100) an OCRed figure is reported; measured on degraded scans (README). */
export const OCR_CONFIDENCE_THRESHOLD = 60;

/** The table slot a cell was read from, when it came from an OCRed table. */
export function ocrSlot(doc: ExtractedDocument, cell: ReportCell): (TableCell & { ocr: OcrReading }) | null {
  const where = cell.provenance;
  if (!where || where.table === undefined || where.row === undefined || where.column === undefined) return null;
  for (const page of doc.pages) {
    for (const block of page.blocks) {
      if (block.kind !== 'table' || block.index !== where.table) continue;
      const slot = block.rows[where.row]?.[where.column];
      return slot?.ocr ? (slot as TableCell & { ocr: OcrReading }) : null;
    }
  }
  return null;
}

function describe(key: string, slot: TableCell & { ocr: OcrReading }): string {
  const { box, confidence, alternatives } = slot.ocr;
  const where = `page ${box.page} at (${box.x.toFixed(0)}, ${box.y.toFixed(0)}) ${box.width.toFixed(0)}×${box.height.toFixed(0)} pt`;
  const others = alternatives?.length ? `; readings: ${alternatives.map((text) => JSON.stringify(text)).join(' or ')}` : '';
  return `${key} read as ${JSON.stringify(slot.text)} with confidence ${confidence.toFixed(0)}, ${where}${others}`;
}

/**
 * The `ocr_uncertain` anomalies of a parsed report: one per low-confidence OCRed cell, and one per failed
 * identity whose cells were read by OCR (the failure may be a misreading rather than the document's own).
 */
export function checkOcrUncertainty(doc: ExtractedDocument, cells: ReportCell[], anomalies: Anomaly[]): Anomaly[] {
  const slots = new Map(
    cells.flatMap((cell) => {
      const slot = ocrSlot(doc, cell);
      return slot ? [[cell.key, slot] as const] : [];
    }),
  );
  if (slots.size === 0) return [];
  const lowConfidence = [...slots]
    .filter(([, slot]) => slot.ocr.confidence < OCR_CONFIDENCE_THRESHOLD)
    .map(([key, slot]) => ({ kind: 'ocr_uncertain' as const, id: `ocr_uncertain:${key}`, detail: describe(key, slot) }));
  const identities = anomalies
    .filter((anomaly) => anomaly.kind === 'identity')
    .flatMap((anomaly) => {
      const read = [...slots].filter(([key]) => identityCovers(anomaly.id, key));
      if (read.length === 0) return [];
      const weakest = [...read].sort((a, b) => a[1].ocr.confidence - b[1].ocr.confidence).slice(0, 3);
      return [
        {
          kind: 'ocr_uncertain' as const,
          id: `ocr_uncertain:${anomaly.id}`,
          detail: `${anomaly.id} fails over figures read by OCR; least certain: ${weakest.map(([key, slot]) => describe(key, slot)).join('; ')}`,
        },
      ];
    });
  return [...lowConfidence, ...identities];
}
