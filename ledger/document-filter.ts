/**
 * Backfill filters: which discovered documents a crawl run passes on to fetch. Pure functions; the filter travels in
 * the crawl job's data, so every worker applies the same one.
 */
import type { DiscoveredDocument, DocumentKindHint } from '../crawlers/types.ts';

export interface DocumentFilter {
  /** Keep documents whose title names a year in [from, to] (inclusive); a title without a year is kept. */
  years?: { from: number; to: number };
  /** Keep documents whose kind hint is one of these. */
  kinds?: DocumentKindHint[];
}

const KINDS: readonly DocumentKindHint[] = ['html', 'pdf', 'doc', 'docx', 'wps', 'xls', 'image', 'other'];

export class DocumentFilterError extends Error {
  readonly code = 'BAD_DOCUMENT_FILTER';
  readonly retryable = false;
}

/** Parses `--years 2019-2024` (or `2021`). */
export function parseYears(text: string): { from: number; to: number } {
  const match = /^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$/.exec(text);
  if (!match) throw new DocumentFilterError(`--years wants YYYY or YYYY-YYYY, not "${text}"`);
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  if (to < from) throw new DocumentFilterError(`--years ${text}: the range ends before it starts`);
  return { from, to };
}

/** Parses `--types pdf,html`. */
export function parseKinds(text: string): DocumentKindHint[] {
  const kinds = text
    .split(',')
    .map((kind) => kind.trim().toLowerCase())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !KINDS.includes(kind as DocumentKindHint));
  if (unknown.length > 0) throw new DocumentFilterError(`unknown --types ${unknown.join(', ')}; choose from ${KINDS.join(', ')}`);
  return kinds as DocumentKindHint[];
}

/**
 * The year a title reports on: "2023年政府信息公开工作年度报告" → 2023. Chinese numerals (二〇二三年) are read too.
 * Null when the title names no plausible year.
 */
export function yearInTitle(title: string): number | null {
  const normalized = title.replace(/[〇零一二三四五六七八九○Ｏ０-９]/g, (c) => DIGITS[c] ?? c);
  const match = /(19|20)\d{2}(?=\s*年)/.exec(normalized) ?? /(?<!\d)(19|20)\d{2}(?!\d)/.exec(normalized);
  return match ? Number(match[0]) : null;
}

const DIGITS: Record<string, string> = {
  〇: '0',
  零: '0',
  '○': '0',
  Ｏ: '0',
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
  '０': '0',
  '１': '1',
  '２': '2',
  '３': '3',
  '４': '4',
  '５': '5',
  '６': '6',
  '７': '7',
  '８': '8',
  '９': '9',
};

/** True when `document` passes `filter` (an absent filter passes everything). */
export function matchesFilter(document: Pick<DiscoveredDocument, 'title' | 'kindHint'>, filter: DocumentFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.kinds && filter.kinds.length > 0 && !filter.kinds.includes(document.kindHint)) return false;
  if (filter.years) {
    const year = yearInTitle(document.title);
    if (year !== null && (year < filter.years.from || year > filter.years.to)) return false;
  }
  return true;
}
