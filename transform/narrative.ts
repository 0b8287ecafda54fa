/**
 * Figures the report's prose states about its own table 三 (共受理申请N件, 予以公开及部分公开N件), checked
 * against the table: a disagreement is a `narrative_mismatch` anomaly. The table's figures are kept.
 */
import type { ExtractedDocument } from '../extract/types.ts';
import type { Anomaly } from './types.ts';
import { compactText } from './rows.ts';

type Values = ReadonlyMap<string, number | null>;

/** What a sentence may say, and the table rows whose totals it should equal. */
const CLAIMS: { pattern: RegExp; rows: string[]; where: string }[] = [
  { pattern: /(?:受理|收到|新收)[^。，,；;]{0,20}?申请(\d+)件/, rows: ['new_received'], where: 't3.new_received.total' },
  { pattern: /(?:受理|收到|新收)(\d+)件[^。，,；;]{0,12}?申请/, rows: ['new_received'], where: 't3.new_received.total' },
  { pattern: /予以公开(?:及|和|与)部分公开(\d+)件/, rows: ['granted', 'partial'], where: 't3.granted / t3.partial' },
];

/** A row's 总计, or where it is blank the sum of its applicant columns. */
function rowTotal(values: Values, row: string): number | null {
  const total = values.get(`t3.${row}.total`);
  if (total !== null && total !== undefined) return total;
  const parts = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org']
    .map((column) => values.get(`t3.${row}.${column}`))
    .filter((value): value is number => typeof value === 'number');
  return parts.length === 0 ? null : parts.reduce((sum, value) => sum + value, 0);
}

function proseOf(doc: ExtractedDocument): string {
  return doc.pages.flatMap((page) => page.blocks.flatMap((block) => (block.kind === 'line' ? [compactText(block.text)] : []))).join('');
}

/** One anomaly per kind of claim whose first statement in the prose disagrees with the table. */
export function checkNarrative(doc: ExtractedDocument, values: Values): Anomaly[] {
  const prose = proseOf(doc);
  const anomalies: Anomaly[] = [];
  const seen = new Set<string>();
  for (const claim of CLAIMS) {
    const match = claim.pattern.exec(prose);
    if (!match || seen.has(claim.where)) continue;
    seen.add(claim.where);
    const totals = claim.rows.map((row) => rowTotal(values, row));
    if (totals.some((total) => total === null)) continue;
    const table = totals.reduce<number>((sum, total) => sum + (total ?? 0), 0);
    const stated = Number(match[1]);
    if (stated === table) continue;
    anomalies.push({
      kind: 'narrative_mismatch',
      id: `narrative_mismatch:${claim.where}`,
      expected: table,
      found: stated,
      detail: `the text says '${match[0]}' but table 三 gives ${table}`,
    });
  }
  return anomalies;
}
