/**
 * A table's cell grid from a cleaned, straight scan: ruling lines found as long runs of thin dark lines (pixels
 * averaged along the line, so dashed, broken or faint rulings count; darker than the paper beside them, so text
 * does not), grouped into tables by where they cross, then slots between neighbouring
 * rulings, merged where the ruling between two slots is missing (a rowspan or colspan) — unless the line is ruled
 * nearly everywhere else along the table's body, where its gap is a break (a seal, a worn dashed ruling) — unless a
 * label runs across the gap with no trace of the line beside it. A column line lost in every row is found where a
 * slot as wide as two or three columns parts its text with lanes of bare paper. A line that slants (a sheared or
 * photographed page, straight only on average) bounds its cells and is wiped where it stands along its length.
 */
import type { ScanImage } from './scan-clean.ts';

/**
 * A ruling: its position across (y of a horizontal, x of a vertical) and the stretches it covers along; and the
 * strokes it was found from, where it has them: a line of a photographed or sheared page slants (a column line
 * drifts by a ruling's width or more from the table's top to its bottom), so that it stands at its mean position
 * only halfway down.
 */
export interface Ruling {
  at: number;
  spans: [number, number][];
  strokes?: Stroke[];
}

/** A stretch of a ruling at one position across (a run of line evidence): from and to along, inclusive. */
interface Stroke {
  at: number;
  from: number;
  to: number;
}

/** A cell of the grid: its slot range and its box in pixels, inside the rulings. */
export interface GridCell {
  row: number;
  column: number;
  rowSpan: number;
  columnSpan: number;
  box: { left: number; top: number; right: number; bottom: number };
}

export interface ScanTableGrid {
  rows: number;
  columns: number;
  /** The merged cells, each once, in reading order. */
  cells: GridCell[];
  /** Outer box of the table, in pixels. */
  box: { left: number; top: number; right: number; bottom: number };
  /** The rulings, for wiping them before OCR. */
  horizontals: Ruling[];
  verticals: Ruling[];
}

/** A ruling's smoothed pixels are darker than this (a faint dashed ruling under JPEG noise averages out near 205) ... */
const RULING_DARK = 218;
/** ... and darker by this much than the paper a few pixels to either side (text has ink there too). */
const RULING_CONTRAST = 16;
/** Share of a table's rows a column line must be ruled in to count as ruled in all of them. */
const MAIN_LINE_SHARE = 0.8;
/**
 * Share of a slot boundary a ruling must cover for the slots to be separate cells: a glyph's stroke that runs on
 * into the column line below it (行 over a ruled column) covers about half of its row, a ruling nearly all.
 */
const BOUNDARY_COVER = 0.75;
/** Share of a slot boundary a ruling covers when it runs into the slot and breaks off (more than its overshoot). */
const PART_COVER = 0.3;

interface Run {
  across: number;
  from: number;
  to: number;
}

/**
 * Where a ruling along one axis may pass: pixels averaged along the axis (so dashes, breaks and noise even out)
 * that are dark, and clearly darker than the averages a few pixels across on both sides (a thin line, not text).
 */
function lineEvidence(image: ScanImage, horizontal: boolean): Uint8Array {
  const { width, height, pixels } = image;
  const half = Math.max(2, Math.round(image.dpi / 35));
  const side = Math.max(3, Math.round(image.dpi / 40));
  const smooth = new Float32Array(width * height);
  const alongCount = horizontal ? width : height;
  const acrossCount = horizontal ? height : width;
  const index = (along: number, across: number) => (horizontal ? across * width + along : along * width + across);
  for (let across = 0; across < acrossCount; across++) {
    let sum = 0;
    let count = 0;
    for (let along = -half; along < alongCount + half; along++) {
      const enter = along + half;
      const leave = along - half - 1;
      if (enter < alongCount) [sum, count] = [sum + pixels[index(enter, across)]!, count + 1];
      if (leave >= 0) [sum, count] = [sum - pixels[index(leave, across)]!, count - 1];
      if (along >= 0 && along < alongCount) smooth[index(along, across)] = sum / count;
    }
  }
  const evidence = new Uint8Array(width * height);
  for (let across = side; across < acrossCount - side; across++) {
    for (let along = 0; along < alongCount; along++) {
      const here = smooth[index(along, across)]!;
      if (here >= RULING_DARK) continue;
      const before = smooth[index(along, across - side)]!;
      const after = smooth[index(along, across + side)]!;
      if (before - here >= RULING_CONTRAST && after - here >= RULING_CONTRAST) evidence[index(along, across)] = 1;
    }
  }
  return evidence;
}

/**
 * Long runs along one axis: runs of line evidence with gaps up to `maxGap` bridged, kept when at least
 * `minLength` long and at least half evidence.
 */
function longRuns(image: ScanImage, horizontal: boolean, minLength: number, maxGap: number): Run[] {
  const { width, height } = image;
  const evidence = lineEvidence(image, horizontal);
  const acrossCount = horizontal ? height : width;
  const alongCount = horizontal ? width : height;
  const runs: Run[] = [];
  for (let across = 0; across < acrossCount; across++) {
    let start = -1;
    let last = -1;
    let ink = 0;
    const close = () => {
      if (start >= 0 && last - start + 1 >= minLength && ink * 2 >= last - start + 1) runs.push({ across, from: start, to: last });
    };
    for (let along = 0; along < alongCount; along++) {
      if (evidence[horizontal ? across * width + along : along * width + across] === 0) continue;
      if (start < 0 || along - last > maxGap) {
        close();
        start = along;
        ink = 0;
      }
      last = along;
      ink++;
    }
    close();
  }
  return runs;
}

/** Runs on neighbouring rows (a ruling is 1–3 pixels thick) become one ruling with its merged spans. */
function groupRuns(runs: Run[], tolerance: number, bridge: number): Ruling[] {
  const sorted = [...runs].sort((a, b) => a.across - b.across);
  const groups: Run[][] = [];
  for (const run of sorted) {
    const group = groups.at(-1);
    if (group && run.across - group.at(-1)!.across <= tolerance) group.push(run);
    else groups.push([run]);
  }
  return groups.map((group) => {
    const spans = group.map((run) => [run.from, run.to] as [number, number]).sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const span of spans) {
      const lastSpan = merged.at(-1);
      if (lastSpan && span[0] <= lastSpan[1] + bridge) lastSpan[1] = Math.max(lastSpan[1], span[1]);
      else merged.push([...span]);
    }
    const weight = group.reduce((sum, run) => sum + run.to - run.from + 1, 0);
    const at = group.reduce((sum, run) => sum + run.across * (run.to - run.from + 1), 0) / weight;
    return { at, spans: merged, strokes: group.map((run) => ({ at: run.across, from: run.from, to: run.to })) };
  });
}

/** Dark ink a glyph has at least at the page's resolution (the smallest figure, a "1", has dozens of pixels at 150 dpi). */
export const minGlyphInk = (dpi: number) => Math.max(6, (dpi / 150) ** 2 * 12);

/** How much of its length a ruling is ruled along. */
const ruledLength = (ruling: Ruling) => ruling.spans.reduce((sum, [a, b]) => sum + b - a, 0);

const covered = (ruling: Ruling, from: number, to: number) =>
  ruling.spans.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0) / Math.max(1, to - from);

const touches = (ruling: Ruling, position: number, slack: number) =>
  ruling.spans.some(([a, b]) => position >= a - slack && position <= b + slack);

/**
 * The rulings of a page: horizontals at least a third of an inch long; verticals as long, or shorter (a row's
 * height: the rulings between narrow figure cells) when both ends meet horizontal rulings, as no text stroke does.
 */
export function findRulings(image: ScanImage): { horizontals: Ruling[]; verticals: Ruling[] } {
  const minLength = Math.round(image.dpi / 3);
  // The evidence overshoots a line's ends by the averaging window: a glyph's stroke (~1/9 inch) must stay short.
  const minRowHeight = Math.round(image.dpi / 8) + 2 * Math.max(2, Math.round(image.dpi / 35));
  const maxGap = Math.max(3, Math.round(image.dpi / 30));
  const tolerance = Math.max(2, Math.round(image.dpi / 50));
  const bridge = Math.round(image.dpi / 15);
  const slack = Math.max(4, Math.round(image.dpi / 20));
  // One ruling per stretch: the left borders of two tables one above the other are two rulings, not one.
  const pieces = (rulings: Ruling[]) =>
    rulings.flatMap((ruling) =>
      ruling.spans.map((span) => ({
        at: ruling.at,
        spans: [span],
        strokes: ruling.strokes?.filter((stroke) => stroke.to >= span[0] && stroke.from <= span[1]),
      })),
    );
  const horizontalLines = groupRuns(longRuns(image, true, minLength, maxGap), tolerance, bridge);
  const horizontals = pieces(horizontalLines).filter((ruling) => ruledLength(ruling) >= image.dpi / 2);
  // A seal or a worn copy breaks a horizontal ruling where a column line meets it: the line's whole extent counts.
  const extents = horizontalLines
    .filter((line) => ruledLength(line) >= image.dpi / 2)
    .map((line) => ({ at: line.at, spans: [[line.spans[0]![0], line.spans.at(-1)![1]] as [number, number]] }));
  // A ruling crosses the horizontals it meets (its evidence overshoots them); a glyph's stroke stops short of them.
  const reach = Math.max(2, Math.round(image.dpi / 35));
  const meetsHorizontal = (x: number, y: number, below: boolean) =>
    extents.some((h) => (below ? y - h.at : h.at - y) >= -reach && Math.abs(h.at - y) <= slack && touches(h, x, slack));
  const isLong = (ruling: Ruling) => ruling.spans[0]![1] - ruling.spans[0]![0] >= minLength && ruledLength(ruling) >= image.dpi / 2;
  const candidates = pieces(groupRuns(longRuns(image, false, minRowHeight, maxGap), tolerance, bridge)).filter((ruling) => {
    const [top, bottom] = ruling.spans[0]!;
    return isLong(ruling) || (meetsHorizontal(ruling.at, top, false) && meetsHorizontal(ruling.at, bottom, true));
  });
  // A short vertical is a column line if it spans two rows, or if the column goes on in another row nearby (a
  // glyph's stroke stands alone, within one row; a column line at the same x in a table further down is no support).
  const apart = (a: Ruling, b: Ruling) => Math.max(0, a.spans[0]![0] - b.spans[0]![1], b.spans[0]![0] - a.spans[0]![1]);
  const spansRows = (ruling: Ruling) => ruling.spans[0]![1] - ruling.spans[0]![0] >= 2 * minRowHeight;
  const verticals = candidates.filter(
    (ruling) =>
      isLong(ruling) ||
      spansRows(ruling) ||
      candidates.some(
        (other) =>
          other !== ruling &&
          Math.abs(other.at - ruling.at) <= slack &&
          other.spans[0]![0] !== ruling.spans[0]![0] &&
          apart(other, ruling) <= image.dpi / 2,
      ),
  );
  return { horizontals, verticals };
}

/** Tables: rulings joined where a horizontal and a vertical cross; a table has at least two of each. */
function groupTables(horizontals: Ruling[], verticals: Ruling[], dpi: number): { horizontals: Ruling[]; verticals: Ruling[] }[] {
  const slack = Math.max(4, Math.round(dpi / 20));
  const all = [...horizontals, ...verticals];
  const parent = all.map((_, index) => index);
  const find = (index: number): number => (parent[index] === index ? index : (parent[index] = find(parent[index]!)));
  // Two stretches of one horizontal line (a seal broke it, with the column lines under it) are one table's.
  horizontals.forEach((h, hi) => {
    horizontals.forEach((other, oi) => {
      const gap = Math.max(h.spans[0]![0], other.spans[0]![0]) - Math.min(h.spans[0]![1], other.spans[0]![1]);
      if (oi > hi && Math.abs(h.at - other.at) < 1 && gap <= dpi) parent[find(hi)] = find(oi);
    });
  });
  horizontals.forEach((h, hi) => {
    verticals.forEach((v, vi) => {
      if (touches(h, v.at, slack) && touches(v, h.at, slack)) parent[find(hi)] = find(horizontals.length + vi);
    });
  });
  const groups = new Map<number, { horizontals: Ruling[]; verticals: Ruling[] }>();
  all.forEach((ruling, index) => {
    const group = groups.get(find(index)) ?? { horizontals: [], verticals: [] };
    (index < horizontals.length ? group.horizontals : group.verticals).push(ruling);
    groups.set(find(index), group);
  });
  return [...groups.values()].filter((group) => group.horizontals.length >= 2 && group.verticals.length >= 2);
}

/** Positions closer than `tolerance` are one (two strokes of one ruling). */
function distinctPositions(positions: number[], tolerance: number): number[] {
  const sorted = [...positions].sort((a, b) => a - b);
  const out: number[] = [];
  for (const position of sorted) if (out.length === 0 || position - out.at(-1)! > tolerance) out.push(position);
  return out;
}

/**
 * Whether the rulings near `at` cover the stretch between `from` and `to`, together: a seal breaks one line into
 * pieces that each cover a part of a cell's side.
 */
function boundaryRuled(rulings: Ruling[], at: number, from: number, to: number, tolerance: number, cover = BOUNDARY_COVER): boolean {
  const near = rulings.filter((ruling) => Math.abs(ruling.at - at) <= tolerance);
  return covered(unitedSpans(near), from, to) >= cover;
}

/** The spans of several rulings as one ruling, overlaps counted once. */
function unitedSpans(rulings: Ruling[]): Ruling {
  const spans = rulings.flatMap((ruling) => ruling.spans).sort((a, b) => a[0] - b[0]);
  const united: [number, number][] = [];
  for (const [from, to] of spans) {
    const last = united.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else united.push([from, to]);
  }
  return { at: rulings[0]?.at ?? 0, spans: united };
}

/**
 * Where a column line stands between slot `column` and the next in `row`. A column line ruled in nearly every row
 * is a column line in all of them: where it is missing, a seal or a worn copy broke it, not a colspan (figure
 * columns are never merged in the body of a statutory table). Heading rows above the line's first ruled row keep
 * their colspans ("申请人情况" over every applicant column); so does a row with none of its several column lines
 * (a section heading across the table, "第二十条第（六）项"). `bodyFrom`: the first row below every heading.
 */
function columnLines(
  image: ScanImage,
  verticals: Ruling[],
  xs: number[],
  ys: number[],
  tolerance: number,
): { present: (column: number, row: number) => boolean; bodyFrom: number } {
  const [rows, columns] = [ys.length - 1, xs.length - 1];
  const ruled = (column: number, row: number) => boundaryRuled(verticals, xs[column + 1]!, ys[row]!, ys[row + 1]!, tolerance);
  const partlyRuled = (column: number, row: number) =>
    boundaryRuled(verticals, xs[column + 1]!, ys[row]!, ys[row + 1]!, tolerance, PART_COVER);
  const rowIndexes = Array.from({ length: rows }, (_, row) => row);
  const columnLineIndexes = Array.from({ length: columns - 1 }, (_, column) => column);
  // A row with none of its column lines is a heading across the table: it does not count against a line.
  const headingRow = rowIndexes.map((row) => columns > 2 && !columnLineIndexes.some((column) => ruled(column, row)));
  const mainLineFrom = columnLineIndexes.map((column) => {
    const ruledRows = rowIndexes.filter((row) => ruled(column, row));
    const first = ruledRows[0] ?? rows;
    // With one column line, a heading row cannot be told from a broken line: the share is of all the rows.
    const counted = columns > 2 ? rowIndexes.filter((row) => row >= first && !headingRow[row]).length : rows;
    return ruledRows.length >= 2 && ruledRows.length >= MAIN_LINE_SHARE * counted ? first : Infinity;
  });
  // A main line that runs into the row above its first ruled one and breaks off there, in a row where nearly all the
  // other main lines that go on below it are ruled (a row of figures, not a heading over them), was broken there.
  const mainColumns = columnLineIndexes.filter((column) => Number.isFinite(mainLineFrom[column]!));
  const likeBody = (row: number, except: number) => {
    const others = mainColumns.filter((column) => column !== except && mainLineFrom[column]! <= row + 1);
    return others.length >= 2 && others.filter((column) => ruled(column, row)).length >= MAIN_LINE_SHARE * others.length;
  };
  for (const column of mainColumns) {
    let first = mainLineFrom[column]!;
    while (first > 0 && partlyRuled(column, first - 1) && likeBody(first - 1, column)) first--;
    mainLineFrom[column] = first;
  }
  return {
    present: (column, row) =>
      ruled(column, row) ||
      (row >= mainLineFrom[column]! && !headingRow[row] && (partlyRuled(column, row) || !crossedByText(image, xs, ys, column, row))),
    bodyFrom: bodyStart(mainLineFrom),
  };
}

/**
 * The first row below every heading: where the last of the main column lines begins, counting those from the first
 * line ruled from the top rightwards. The label columns to its left begin late ("一、本年新收…" across them), and
 * are no headings.
 */
function bodyStart(mainLineFrom: number[]): number {
  const top = Math.min(...mainLineFrom);
  if (!Number.isFinite(top)) return 0;
  return Math.max(...mainLineFrom.slice(mainLineFrom.indexOf(top)).filter(Number.isFinite));
}

/**
 * Where a row line stands between slot `row` and the next in `column`. Like a column line, a row line ruled under
 * nearly every cell between its first and its last ruled one is a line under all of them: a rowspan stands at
 * either end (a label beside its sub-rows, 总计 beside its group), a gap between is a break. And in the body
 * (from `bodyFrom`), a column whose cells are parted by nearly every row line is parted by all of them: a figure
 * cell never spans two rows.
 */
function rowLines(horizontals: Ruling[], xs: number[], ys: number[], tolerance: number, bodyFrom: number) {
  const [rows, columns] = [ys.length - 1, xs.length - 1];
  const ruled = (row: number, column: number) => boundaryRuled(horizontals, ys[row + 1]!, xs[column]!, xs[column + 1]!, tolerance);
  const columnIndexes = Array.from({ length: columns }, (_, column) => column);
  const mainLine = Array.from({ length: Math.max(0, rows - 1) }, (_, row) => {
    const ruledColumns = columnIndexes.filter((column) => ruled(row, column));
    const [first, last] = [ruledColumns[0] ?? 0, ruledColumns.at(-1) ?? -1];
    return ruledColumns.length >= 2 && ruledColumns.length >= MAIN_LINE_SHARE * (last - first + 1) ? { first, last } : null;
  });
  const bodyBoundaries = Array.from({ length: Math.max(0, rows - 1 - bodyFrom) }, (_, index) => bodyFrom + index);
  const partedInBody = columnIndexes.map((column) => {
    const ruledCount = bodyBoundaries.filter((row) => ruled(row, column)).length;
    return ruledCount >= 2 && ruledCount >= MAIN_LINE_SHARE * bodyBoundaries.length;
  });
  const withinMainLine = (row: number, column: number) => {
    const line = mainLine[row];
    return line !== null && line !== undefined && column >= line.first && column <= line.last;
  };
  return (row: number, column: number) => ruled(row, column) || withinMainLine(row, column) || (row >= bodyFrom && partedInBody[column]!);
}

/** Cells a lone ruled row needs to be a table's row (a table cut by a page break), not a framed line of text. */
const MIN_SINGLE_ROW_COLUMNS = 3;

/** Ink darker than this is text when telling whether a column line's place is bare paper. */
const TEXT_INK = 150;
/** Share of a row's text-free stretch a broken line's traces may show and the line still count as lost (noise). */
const TRACE_SHARE = 0.1;

/**
 * Whether the unruled place of the column line between slot `column` and the next in `row` is a lane of bare paper
 * with text on both sides ("0" and "0" of two figure cells whose line a worn copy lost): a line stands there. A
 * label across the columns has its text over the line's place, or on one side only; headings (letter-spaced
 * "行 政 复 议") are not asked.
 */
function partedByPaper(image: ScanImage, xs: number[], ys: number[], column: number, row: number): boolean {
  const { at, lane, inset, inkBetween } = columnPlace(image, xs, ys, column, row);
  const enough = minGlyphInk(image.dpi);
  return (
    inkBetween(at - lane, at + lane + 1) === 0 &&
    inkBetween(Math.round(xs[column]!) + inset, at - lane) >= enough &&
    inkBetween(at + lane + 1, Math.round(xs[column + 2]!) - inset) >= enough
  );
}

/**
 * Whether text runs across the unruled place of the column line between slot `column` and the next in `row`, with
 * no trace of a line above or below the text: a label across the columns ("四、结转下年度继续办理" under the
 * label columns). A line that a seal or a worn copy broke leaves traces (dashes, a faint stroke) beside the ink.
 */
function crossedByText(image: ScanImage, xs: number[], ys: number[], column: number, row: number): boolean {
  const { at, lane, top, bottom, inkBetween } = columnPlace(image, xs, ys, column, row);
  if (inkBetween(at - lane, at + lane + 1) < minGlyphInk(image.dpi)) return false;
  const side = Math.max(3, Math.round(image.dpi / 40));
  const pixel = (x: number, y: number) => image.pixels[y * image.width + Math.min(image.width - 1, Math.max(0, x))]!;
  const lineTrace = (y: number) =>
    [at - 1, at, at + 1].some((x) => {
      const here = pixel(x, y);
      return here < RULING_DARK && pixel(x - side, y) - here >= RULING_CONTRAST && pixel(x + side, y) - here >= RULING_CONTRAST;
    });
  const textRow = (y: number) => {
    for (let x = at - lane; x <= at + lane; x++) if (pixel(x, y) < TEXT_INK) return true;
    return false;
  };
  const band = Array.from({ length: Math.max(0, bottom - top) }, (_, index) => top + index);
  const textRows = band.filter(textRow);
  // Above and below the text (and its faint edges): where a broken line would show its traces.
  const [textTop, textBottom] = [textRows[0]! - side, textRows.at(-1)! + side];
  const bare = band.filter((y) => y < textTop || y > textBottom);
  return bare.length >= side && bare.filter(lineTrace).length <= bare.length * TRACE_SHARE;
}

/** The place of a column line within a row, and a count of the text ink between two x's there. */
function columnPlace(image: ScanImage, xs: number[], ys: number[], column: number, row: number) {
  const lane = Math.max(3, Math.round(image.dpi / 25));
  const inset = Math.max(3, Math.round(image.dpi / 30));
  const at = Math.round(xs[column + 1]!);
  const [top, bottom] = [Math.round(ys[row]!) + inset, Math.round(ys[row + 1]!) - inset];
  const inkBetween = (from: number, to: number) => {
    let ink = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = Math.max(0, from); x < Math.min(image.width, to); x++) ink += image.pixels[y * image.width + x]! < TEXT_INK ? 1 : 0;
    }
    return ink;
  };
  return { at, lane, inset, top, bottom, inkBetween };
}

/** A slot this many times the table's typical column width may hold columns whose lines were lost. */
const WIDE_SLOT = 1.6;
/** The widest a column found between lost lines may be, in typical column widths. */
const WIDEST = 1.4;
/** Rows a lane must part text in to be a lost line. */
const MIN_PARTED_ROWS = 2;
/** Lost lines one slot may hold. */
const MAX_LOST_LINES = 2;
/** Columns a table needs for its typical column width to mean something. */
const MIN_COLUMNS_FOR_WIDTH = 5;

/**
 * Column lines lost in every row (a worn dashed line under a seal): no ruling gives their x. In a slot much wider
 * than the table's typical column, a bare-paper lane that parts text in two rows or more, from the bottom up to a
 * heading over the columns, is a lost line, when the parts it leaves are column-sized (a 总计 column is narrow). A
 * label column fails: its text crosses the lane, or stands on one side of it in a row below, or its parts are too
 * wide. The lost lines are returned as rulings through the rows that show them.
 */
function lostColumnLines(image: ScanImage, xs: number[], ys: number[]): Ruling[] {
  const widths = xs.slice(1).map((x, column) => x - xs[column]!);
  if (widths.length < MIN_COLUMNS_FOR_WIDTH) return [];
  const typical = [...widths].sort((a, b) => a - b)[Math.floor(widths.length / 2)]!;
  const narrowest = typical / 2;
  return widths.flatMap((width, column) => {
    if (width < WIDE_SLOT * typical || width > (MAX_LOST_LINES + 1) * WIDEST * typical) return [];
    const [left, right] = [xs[column]!, xs[column + 1]!];
    const lanes: { at: number; fromRow: number }[] = [];
    let stretch: { at: number; fromRow: number }[] = [];
    const closeStretch = () => {
      if (stretch.length > 0) {
        const at = Math.round((stretch[0]!.at + stretch.at(-1)!.at) / 2);
        lanes.push({ at, fromRow: Math.max(...stretch.map((place) => place.fromRow)) });
      }
      stretch = [];
    };
    // Places a few pixels apart (a speck of residue between) are one lane: its middle.
    for (let at = Math.round(left + narrowest); at <= Math.round(right - narrowest); at++) {
      const fromRow = rowsPartedAt(image, ys, left, right, at);
      if (fromRow === null) continue;
      if (stretch.length > 0 && at - stretch.at(-1)!.at > narrowest / 2) closeStretch();
      stretch.push({ at, fromRow });
    }
    closeStretch();
    const edges = [left, ...lanes.map((lane) => lane.at), right];
    const columnSized = edges
      .slice(1)
      .every((edge, index) => edge - edges[index]! >= narrowest && edge - edges[index]! <= WIDEST * typical);
    return lanes.length > 0 && lanes.length <= MAX_LOST_LINES && columnSized
      ? lanes.map((lane) => ({ at: lane.at, spans: [[ys[lane.fromRow]!, ys.at(-1)!]] as [number, number][] }))
      : [];
  });
}

/**
 * The top row of those in which the lane at `at` parts text (text on both sides of it, none in it), counted from
 * the bottom up to a heading: a row with text across the lane, or on one side of it above rows it parts. Null if
 * fewer than two rows part, or a row below them has text on one side only (a label).
 */
function rowsPartedAt(image: ScanImage, ys: number[], left: number, right: number, at: number): number | null {
  let fromRow: number | null = null;
  let parted = 0;
  for (let row = ys.length - 2; row >= 0; row--) {
    const side = laneSides(image, ys, left, right, at, row);
    if (side === 'crossed' || (side === 'one side' && fromRow !== null)) break;
    if (side === 'one side') return null;
    if (side === 'parted') [fromRow, parted] = [row, parted + 1];
  }
  return parted >= MIN_PARTED_ROWS ? fromRow : null;
}

/** Whether text crosses a lane at `at` in `row` between `left` and `right`, parts there, stands on one side, or none is there. */
function laneSides(image: ScanImage, ys: number[], left: number, right: number, at: number, row: number) {
  const { lane, inset, inkBetween } = columnPlace(image, [left, at, right], ys, 0, row);
  const enough = minGlyphInk(image.dpi);
  // The lost line's own dark dashes stand in the middle of the lane, a seal's residue leaves specks beside them;
  // text across the lane leaves more ink than a glyph needs.
  const trace = Math.max(2, Math.round(image.dpi / 75));
  if (inkBetween(at - lane, at - trace) + inkBetween(at + trace + 1, at + lane + 1) > enough) return 'crossed';
  const [before, after] = [
    inkBetween(Math.round(left) + inset, at - lane) >= enough,
    inkBetween(at + lane + 1, Math.round(right) - inset) >= enough,
  ];
  if (before && after) return 'parted';
  return before || after ? 'one side' : 'none';
}

/** Narrower than this (in inches), a slot between two column lines holds no text: one of the lines is a stray. */
const MIN_COLUMN_WIDTH = 1 / 10;

/**
 * Column line positions without those closer to a neighbour than a column can be narrow: of two such, the one ruled
 * along less of its length (a stray stroke of residue beside the table's border) goes.
 */
function withoutSlivers(xs: number[], verticals: Ruling[], dpi: number): number[] {
  const tolerance = MIN_COLUMN_WIDTH * dpi;
  const ruledAt = (x: number) =>
    verticals.filter((ruling) => Math.abs(ruling.at - x) < tolerance / 2).reduce((sum, ruling) => sum + ruledLength(ruling), 0);
  const kept = [...xs];
  for (let index = 1; index < kept.length;) {
    if (kept[index]! - kept[index - 1]! >= tolerance) index++;
    else kept.splice(ruledAt(kept[index]!) < ruledAt(kept[index - 1]!) ? index : index - 1, 1);
  }
  return kept;
}

/**
 * How far (pixels) from its mean position a ruling must stand somewhere to be taken where it stands there: within
 * it, a straight line's strokes only scatter about the mean (a stroke lost beside a glyph), and the mean holds.
 */
const SLANT_TOLERANCE = 1;

/**
 * Where a ruling stands, across, at each place along from `from` to `to` (inclusive): the mean of its strokes there,
 * and where none is (a gap bridged, a break) that of the nearest place that has one; its mean position where it has
 * no strokes, or stands within SLANT_TOLERANCE of it.
 */
function positionsAlong(ruling: Ruling, from: number, to: number): Float64Array {
  const length = Math.max(0, to - from + 1);
  const [sum, count] = [new Float64Array(length), new Float64Array(length)];
  for (const stroke of ruling.strokes ?? []) {
    for (let along = Math.max(from, stroke.from); along <= Math.min(to, stroke.to); along++) {
      sum[along - from] = sum[along - from]! + stroke.at;
      count[along - from] = count[along - from]! + 1;
    }
  }
  const positions = new Float64Array(length).fill(ruling.at);
  // Nearest place with strokes: a pass each way, each keeping the position of the last such place and its distance.
  const distance = new Float64Array(length).fill(Infinity);
  for (const direction of [1, -1]) {
    let [last, lastAt] = [NaN, -1];
    for (let step = 0; step < length; step++) {
      const index = direction === 1 ? step : length - 1 - step;
      if (count[index]! > 0) [last, lastAt] = [sum[index]! / count[index]!, index];
      const away = lastAt < 0 ? Infinity : Math.abs(index - lastAt);
      if (away < distance[index]!) [positions[index], distance[index]] = [last, away];
    }
  }
  return positions.map((position) => (Math.abs(position - ruling.at) <= SLANT_TOLERANCE ? ruling.at : position));
}

/**
 * Where the rulings near `at` stand (across) between `from` and `to` along: the mean of their strokes there, or
 * `at` where they have none or stand within SLANT_TOLERANCE of it.
 */
function localPosition(rulings: Ruling[], at: number, from: number, to: number, tolerance: number): number {
  let [sum, weight] = [0, 0];
  for (const ruling of rulings) {
    if (Math.abs(ruling.at - at) > tolerance) continue;
    for (const stroke of ruling.strokes ?? []) {
      const overlap = Math.min(to, stroke.to) - Math.max(from, stroke.from) + 1;
      if (overlap > 0) [sum, weight] = [sum + stroke.at * overlap, weight + overlap];
    }
  }
  return weight > 0 && Math.abs(sum / weight - at) > SLANT_TOLERANCE ? sum / weight : at;
}

/** The grid of one table: slots between rulings, merged where the ruling between two is missing. */
function buildGrid(table: { horizontals: Ruling[]; verticals: Ruling[] }, image: ScanImage): ScanTableGrid | null {
  const dpi = image.dpi;
  const tolerance = Math.max(3, Math.round(dpi / 30));
  const ys = distinctPositions(
    table.horizontals.map((ruling) => ruling.at),
    tolerance,
  );
  // A table cut by a page break often loses its border there: the verticals' ends stand in for it.
  const verticalTop = Math.min(...table.verticals.map((ruling) => ruling.spans[0]![0]));
  const verticalBottom = Math.max(...table.verticals.map((ruling) => ruling.spans[0]![1]));
  if (ys[0]! - verticalTop > dpi / 8) ys.unshift(verticalTop);
  if (verticalBottom - ys.at(-1)! > dpi / 8) ys.push(verticalBottom);
  const ruledXs = withoutSlivers(
    distinctPositions(
      table.verticals.map((ruling) => ruling.at),
      tolerance,
    ),
    table.verticals,
    dpi,
  );
  const lost = lostColumnLines(image, ruledXs, ys);
  // A stray dropped as a sliver is no ruling: wiping it would wipe a glyph's stroke.
  const ruled = table.verticals.filter((ruling) => ruledXs.some((x) => Math.abs(ruling.at - x) <= tolerance));
  const verticals = [...ruled, ...lost];
  const xs = distinctPositions([...ruledXs, ...lost.map((ruling) => ruling.at)], tolerance);
  const rows = ys.length - 1;
  const columns = xs.length - 1;
  if (rows < 1 || columns < 1) return null;
  const slot = (row: number, column: number) => row * columns + column;
  const parent = Array.from({ length: rows * columns }, (_, index) => index);
  const find = (index: number): number => (parent[index] === index ? index : (parent[index] = find(parent[index]!)));
  const columnLine = columnLines(image, verticals, xs, ys, tolerance);
  const rowLine = rowLines(table.horizontals, xs, ys, tolerance, columnLine.bodyFrom);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      if (
        column + 1 < columns &&
        !columnLine.present(column, row) &&
        !(row >= columnLine.bodyFrom && partedByPaper(image, xs, ys, column, row))
      ) {
        parent[find(slot(row, column + 1))] = find(slot(row, column));
      }
      if (row + 1 < rows && !rowLine(row, column)) {
        parent[find(slot(row + 1, column))] = find(slot(row, column));
      }
    }
  }
  const extents = new Map<number, { r0: number; r1: number; c0: number; c1: number }>();
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const root = find(slot(row, column));
      const extent = extents.get(root) ?? { r0: row, r1: row, c0: column, c1: column };
      extents.set(root, {
        r0: Math.min(extent.r0, row),
        r1: Math.max(extent.r1, row),
        c0: Math.min(extent.c0, column),
        c1: Math.max(extent.c1, column),
      });
    }
  }
  const cells = [...extents.values()]
    .sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0)
    .map(({ r0, r1, c0, c1 }) => ({
      row: r0,
      column: c0,
      rowSpan: r1 - r0 + 1,
      columnSpan: c1 - c0 + 1,
      // Each side where its ruling stands along the cell: a slanted line stands off its mean position.
      box: {
        left: localPosition(verticals, xs[c0]!, ys[r0]!, ys[r1 + 1]!, tolerance),
        top: localPosition(table.horizontals, ys[r0]!, xs[c0]!, xs[c1 + 1]!, tolerance),
        right: localPosition(verticals, xs[c1 + 1]!, ys[r0]!, ys[r1 + 1]!, tolerance),
        bottom: localPosition(table.horizontals, ys[r1 + 1]!, xs[c0]!, xs[c1 + 1]!, tolerance),
      },
    }));
  return {
    rows,
    columns,
    cells,
    box: { left: xs[0]!, top: ys[0]!, right: xs.at(-1)!, bottom: ys.at(-1)! },
    horizontals: table.horizontals,
    verticals,
  };
}

/**
 * A table has two rows and two columns at least; a single row counts when it has several cells (the last row of a
 * table that a page break cut off), a framed line of text does not.
 */
const isTable = (grid: ScanTableGrid) => grid.columns >= 2 && (grid.rows >= 2 || grid.columns >= MIN_SINGLE_ROW_COLUMNS);

/** Every ruled table on the page, top to bottom. */
export function findTableGrids(image: ScanImage): ScanTableGrid[] {
  const { horizontals, verticals } = findRulings(image);
  return groupTables(horizontals, verticals, image.dpi)
    .map((table) => buildGrid(table, image))
    .filter((grid): grid is ScanTableGrid => grid !== null && isTable(grid))
    .sort((a, b) => a.box.top - b.box.top);
}

/**
 * A copy of the image with the tables' rulings painted paper white (they hurt recognition), each where it stands
 * along its length: wiped at its mean position, a slanted line would be left standing beside the wipe, and the
 * wipe would cut a glyph there.
 */
export function wipeRulings(image: ScanImage, grids: ScanTableGrid[]): Uint8Array {
  const pixels = new Uint8Array(image.pixels);
  const half = Math.max(2, Math.round(image.dpi / 35));
  const paint = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = Math.max(0, Math.floor(y0)); y <= Math.min(image.height - 1, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x <= Math.min(image.width - 1, Math.ceil(x1)); x++) pixels[y * image.width + x] = 255;
    }
  };
  const paintRuling = (ruling: Ruling, horizontal: boolean) => {
    for (const [a, b] of ruling.spans) {
      const [from, to] = [Math.floor(a - half), Math.ceil(b + half)];
      const positions = positionsAlong(ruling, Math.floor(a), Math.ceil(b));
      for (let along = from; along <= to; along++) {
        const at = positions[Math.min(positions.length - 1, Math.max(0, along - Math.floor(a)))]!;
        if (horizontal) paint(along, at - half, along, at + half);
        else paint(at - half, along, at + half, along);
      }
    }
  };
  for (const grid of grids) {
    for (const ruling of grid.horizontals) paintRuling(ruling, true);
    for (const ruling of grid.verticals) paintRuling(ruling, false);
  }
  return pixels;
}
