/**
 * Rebuilds text lines from positioned PDF text items, the way `pdftotext -layout` reads a page: items on one
 * baseline form a line, ordered left to right, and a wide horizontal gap becomes a TAB, so the cells of a table
 * row stay apart in column order.
 */
import type { LineBlock } from './types.ts';

/** One text run with its position in page space (points, y measured from the top of the page). */
export interface PositionedText {
  text: string;
  x: number;
  /** Baseline, from the top of the page. */
  baseline: number;
  width: number;
  fontSize: number;
}

/** Items whose baselines differ by at most this share of the font size are on one line. */
const SAME_LINE_EM = 0.45;
/** A gap of at least this many ems between two items separates cells (a TAB). */
const CELL_GAP_EM = 1.0;
/** A gap of at least this many ems is a word space the PDF did not draw as a character. */
const WORD_GAP_EM = 0.2;

interface LineDraft {
  baseline: number;
  fontSize: number;
  items: PositionedText[];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function groupByBaseline(items: PositionedText[]): LineDraft[] {
  const sorted = [...items].sort((a, b) => a.baseline - b.baseline || a.x - b.x);
  const lines: LineDraft[] = [];
  for (const item of sorted) {
    const line = lines.at(-1);
    const tolerance = SAME_LINE_EM * Math.min(item.fontSize, line?.fontSize ?? item.fontSize);
    if (line && Math.abs(item.baseline - line.baseline) <= tolerance) {
      line.items.push(item);
      line.fontSize = Math.max(line.fontSize, item.fontSize);
    } else {
      lines.push({ baseline: item.baseline, fontSize: item.fontSize, items: [item] });
    }
  }
  return lines;
}

function separator(previous: PositionedText, next: PositionedText, text: string): string {
  const gap = next.x - (previous.x + previous.width);
  const em = Math.max(Math.min(previous.fontSize, next.fontSize), 1);
  if (gap >= CELL_GAP_EM * em) return '\t';
  if (gap >= WORD_GAP_EM * em && !/\s$/.test(text) && !/^\s/.test(next.text)) return ' ';
  return '';
}

function toLineBlock(draft: LineDraft): LineBlock {
  const items = [...draft.items].sort((a, b) => a.x - b.x);
  let text = '';
  items.forEach((item, index) => {
    const previous = items[index - 1];
    text += (previous ? separator(previous, item, text) : '') + item.text;
  });
  const left = Math.min(...items.map((item) => item.x));
  const right = Math.max(...items.map((item) => item.x + item.width));
  const box = {
    x: round(left),
    y: round(draft.baseline - draft.fontSize),
    width: round(right - left),
    height: round(draft.fontSize),
  };
  return { kind: 'line', text: text.replace(/ *\t */g, '\t').trim(), box };
}

/** Lines of a page in reading order (top to bottom, then left to right), blank items ignored. */
export function buildLines(items: PositionedText[]): LineBlock[] {
  const visible = items.filter((item) => item.text.trim() !== '');
  return groupByBaseline(visible)
    .map(toLineBlock)
    .filter((line) => line.text !== '');
}
