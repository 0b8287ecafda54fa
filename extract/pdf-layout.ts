/**
 * Page-level clean-up of PDF lines: running headers and footers that repeat on most pages are removed, and
 * the heading rows a table repeats at the top of its continuation page are dropped, so the parse stage sees
 * the rows of a table split over a page break as one continuous run.
 */
import type { DocumentPage, ExtractWarning, LineBlock } from './types.ts';

/** Numbers the tables of a document in reading order, from 0. */
export function renumberTables(pages: DocumentPage[]): void {
  let index = 0;
  for (const page of pages) for (const block of page.blocks) if (block.kind === 'table') block.index = index++;
}

/** A page's lines and its height in points (boxes are measured from the top). */
export interface LaidOutPage {
  page: DocumentPage;
  height: number;
}

/** Candidate header/footer lines: the first and last few lines, inside the top/bottom share of the page. */
const EDGE_LINES = 2;
const EDGE_SHARE = 0.15;
/** A line counts as running when it repeats on at least this share of the pages (and on two or more). */
const RUNNING_SHARE = 0.6;
/** At most this many heading rows are dropped at the top of a continuation page. */
const MAX_REPEATED_HEADING_ROWS = 6;
const CJK = /[\u3400-\u9fff]/;

function lines(page: DocumentPage): LineBlock[] {
  return page.blocks.filter((block): block is LineBlock => block.kind === 'line');
}

/** Page numbers change from page to page: the key ignores digits. Rows of figures never count. */
function runningKey(text: string): string | null {
  const key = text.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
  const tokens = key.split(' ');
  const onlyFigures = tokens.every((token) => /^[#.,%-]*$/.test(token));
  return onlyFigures && tokens.length > 1 ? null : key;
}

function edgeLines(laidOut: LaidOutPage): { line: LineBlock; key: string }[] {
  const all = lines(laidOut.page);
  const top = all.slice(0, EDGE_LINES).filter((line) => (line.box?.y ?? Infinity) < laidOut.height * EDGE_SHARE);
  const bottom = all.slice(-EDGE_LINES).filter((line) => (line.box?.y ?? -Infinity) > laidOut.height * (1 - EDGE_SHARE));
  return [...new Set([...top, ...bottom])].flatMap((line) => {
    const key = runningKey(line.text);
    return key === null ? [] : [{ line, key }];
  });
}

/** Removes running headers and footers in place; returns a warning with the count, if any were removed. */
export function removeRunningLines(pages: LaidOutPage[]): ExtractWarning[] {
  if (pages.length < 2) return [];
  const edges = pages.map(edgeLines);
  const pagesPerKey = new Map<string, number>();
  for (const pageEdges of edges)
    for (const key of new Set(pageEdges.map((edge) => edge.key))) pagesPerKey.set(key, (pagesPerKey.get(key) ?? 0) + 1);
  const needed = Math.max(2, Math.ceil(pages.length * RUNNING_SHARE));
  let removed = 0;
  pages.forEach((laidOut, index) => {
    const running = new Set(edges[index]!.filter((edge) => (pagesPerKey.get(edge.key) ?? 0) >= needed).map((edge) => edge.line));
    removed += running.size;
    laidOut.page.blocks = laidOut.page.blocks.filter((block) => !(block.kind === 'line' && running.has(block)));
  });
  return removed === 0 ? [] : [{ code: 'RUNNING_LINES_REMOVED', message: `${removed} running header/footer line(s) removed` }];
}

/**
 * Drops the lines at the top of each page that repeat, verbatim, lines of the previous page and carry text
 * (not figures): a table's heading rows repeated after a page break. Run after removeRunningLines.
 */
export function removeRepeatedHeadingRows(pages: LaidOutPage[]): ExtractWarning[] {
  const warnings: ExtractWarning[] = [];
  for (let index = 1; index < pages.length; index++) {
    const previous = new Set(lines(pages[index - 1]!.page).map((line) => line.text));
    const current = lines(pages[index]!.page);
    let count = 0;
    while (
      count < Math.min(current.length, MAX_REPEATED_HEADING_ROWS) &&
      previous.has(current[count]!.text) &&
      CJK.test(current[count]!.text)
    )
      count++;
    if (count === 0 || count === current.length) continue;
    const repeated = new Set(current.slice(0, count));
    const page = pages[index]!.page;
    page.blocks = page.blocks.filter((block) => !(block.kind === 'line' && repeated.has(block)));
    warnings.push({
      code: 'REPEATED_TABLE_HEADING_REMOVED',
      message: `page ${page.number}: ${count} repeated table heading line(s) removed`,
      page: page.number,
    });
  }
  return warnings;
}
