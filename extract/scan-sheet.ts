/**
 * Two pages on one sheet: an A3 sheet scanned with two A4 pages side by side. Such a sheet is landscape and has a
 * gutter — a band of bare paper (or the dark shadow of the fold) running from the top edge to the bottom edge near
 * the middle. Found from the sheet's column ink profile, along lines slanted within a scan's skew, so that a tilted
 * sheet is split too; a single landscape page with a wide table has no such band (its rows cross the middle) and
 * stays whole. Each half becomes a page, left first, before deskew and table reading.
 */
import sharp from 'sharp';
import { evenLight, grayWithoutSeal } from './scan-clean.ts';
import type { DocumentPage } from './types.ts';

/** An image as RGB pixels, 3 bytes a pixel. */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** Where a sheet is cut: the gutter's centre at mid-height, its slant and width, in the sheet's pixels. */
export interface Gutter {
  centreX: number;
  /** Degrees; the gutter's x grows by tan(angle) per row downwards. */
  angle: number;
  width: number;
}

/** Width x height a sheet of two portrait pages has (A3: 1.41); below this it is one page. */
const MIN_SHEET_ASPECT = 1.2;
const MAX_SHEET_ASPECT = 2.2;
/** The gutter lies near the middle: its centre within this fraction of the width. */
const GUTTER_ZONE: [number, number] = [0.35, 0.65];
/** Narrowest gutter, as a fraction of the sheet's width (A3: 6 mm; two pages' margins make 20 mm or more). */
const MIN_GUTTER_FRACTION = 0.015;
/** Slants searched: a scan's skew is within ±3°. */
const MAX_SLANT_DEGREES = 3;
const SLANT_STEP_DEGREES = 0.5;
/** Profiles are taken on a copy this wide at most: the gutter is wide, the cost is per pixel. */
const WORK_WIDTH = 900;
/** A pixel is ink when darker than this share of the local paper's brightness (faint grey rulings included). */
const INK_RATIO = 0.75;
/** The paper around a pixel: the brightest within this share of the width (a character's size on the work copy). */
const PAPER_RADIUS_FRACTION = 0.005;
/** Rows at the top and bottom edge left out: a scanner's lid shadow or a photo's background. */
const EDGE_ROWS_FRACTION = 0.03;
/** A column is bare paper with at most this share of ink pixels (specks of noise), a fold shadow with at least that. */
const BARE_INK_SHARE = 0.003;
const SHADOW_INK_SHARE = 0.9;
/** Each page of a sheet carries some ink; an empty half means one page on a wide sheet. */
const MIN_PAGE_INK_SHARE = 0.002;
/** A fold's shadow is lifted this far either side of the gutter line, as a share of the sheet's width. */
const SHADOW_REACH_FRACTION = 0.06;

/** A binary ink map: 1 where a pixel is darker than its surroundings' paper. */
interface InkMap {
  ink: Uint8Array;
  width: number;
  height: number;
}

/** The brightest pixel within `radius` along one axis: run twice (rows, then columns), a square maximum filter. */
function maxAlong(pixels: Uint8Array, width: number, height: number, radius: number, axis: 'x' | 'y'): Uint8Array {
  const out = new Uint8Array(pixels.length);
  const [lines, length, step, stride] = axis === 'x' ? [height, width, 1, width] : [width, height, width, 1];
  for (let line = 0; line < lines; line++) {
    const base = line * stride;
    for (let at = 0; at < length; at++) {
      let brightest = 0;
      for (let k = Math.max(0, at - radius); k <= Math.min(length - 1, at + radius); k++)
        brightest = Math.max(brightest, pixels[base + k * step]!);
      out[base + at * step] = brightest;
    }
  }
  return out;
}

/**
 * The sheet without its red seal (grayWithoutSeal: blue or black ink stays), shrunk, and marked against its paper: the
 * brightest pixel nearby, wider than a stroke. A fold's shadow is broad and smooth, so it counts as paper, not ink.
 */
async function inkMapOf(sheet: RgbImage): Promise<InkMap> {
  const gray = grayWithoutSeal(sheet.pixels, sheet.width, sheet.height);
  const small = await sharp(gray, { raw: { width: sheet.width, height: sheet.height, channels: 1 } })
    .resize({ width: Math.min(WORK_WIDTH, sheet.width) })
    .extractChannel(0) // sharp would write one grey channel as three
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = small.info;
  const radius = Math.max(2, Math.round(width * PAPER_RADIUS_FRACTION));
  const paper = maxAlong(maxAlong(small.data, width, height, radius, 'x'), width, height, radius, 'y');
  const ink = new Uint8Array(small.data.length);
  for (let i = 0; i < ink.length; i++) ink[i] = small.data[i]! < paper[i]! * INK_RATIO ? 1 : 0;
  return { ink, width, height };
}

/** Ink pixels met along each slanted line x = x0 + (y - mid) * slope, for every x0 of the middle zone. */
function slantedProfile(map: InkMap, slope: number, fromX: number, toX: number, rows: [number, number]): Uint32Array {
  const profile = new Uint32Array(toX - fromX);
  const mid = map.height / 2;
  for (let y = rows[0]; y < rows[1]; y++) {
    const shift = Math.round((y - mid) * slope);
    const row = y * map.width;
    for (let x0 = fromX; x0 < toX; x0++) {
      const x = x0 + shift;
      if (x >= 0 && x < map.width) profile[x0 - fromX]! += map.ink[row + x]!;
    }
  }
  return profile;
}

/** The widest run of gutter columns (bare paper or solid shadow, top to bottom) in a profile. */
function widestRun(profile: Uint32Array, rowCount: number): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  for (let i = 0; i <= profile.length; i++) {
    const share = i < profile.length ? profile[i]! / rowCount : 0.5;
    const gutterColumn = share <= BARE_INK_SHARE || share >= SHADOW_INK_SHARE;
    if (gutterColumn && start < 0) start = i;
    if (!gutterColumn && start >= 0) {
      if (i - start > best.length) best = { start, length: i - start };
      start = -1;
    }
  }
  return best;
}

/** Share of ink pixels in the columns [fromX, toX) of the map. */
function inkShare(map: InkMap, fromX: number, toX: number): number {
  let count = 0;
  for (let y = 0; y < map.height; y++) for (let x = fromX; x < toX; x++) count += map.ink[y * map.width + x]!;
  return count / Math.max(1, (toX - fromX) * map.height);
}

/** The gutter of a two-page sheet, or null when the image is one page (portrait, or no band crossing its height). */
export async function findGutter(sheet: RgbImage): Promise<Gutter | null> {
  const aspect = sheet.width / sheet.height;
  if (aspect < MIN_SHEET_ASPECT || aspect > MAX_SHEET_ASPECT) return null;
  const map = await inkMapOf(sheet);
  const fromX = Math.floor(map.width * GUTTER_ZONE[0]);
  const toX = Math.ceil(map.width * GUTTER_ZONE[1]);
  const edge = Math.round(map.height * EDGE_ROWS_FRACTION);
  const rows: [number, number] = [edge, map.height - edge];
  let best: { centre: number; angle: number; length: number } | null = null;
  for (let angle = -MAX_SLANT_DEGREES; angle <= MAX_SLANT_DEGREES + 1e-9; angle += SLANT_STEP_DEGREES) {
    const run = widestRun(slantedProfile(map, Math.tan((angle * Math.PI) / 180), fromX, toX, rows), rows[1] - rows[0]);
    if (!best || run.length > best.length) best = { centre: fromX + run.start + run.length / 2, angle, length: run.length };
  }
  if (!best || best.length < map.width * MIN_GUTTER_FRACTION) return null;
  const cut = Math.round(best.centre);
  if (inkShare(map, 0, cut) < MIN_PAGE_INK_SHARE || inkShare(map, cut, map.width) < MIN_PAGE_INK_SHARE) return null;
  const scale = sheet.width / map.width;
  return { centreX: best.centre * scale, angle: best.angle, width: best.length * scale };
}

/** One side of the slanted gutter line, the other side painted white: a page of its own. */
function halfOf(sheet: RgbImage, gutter: Gutter, side: 'left' | 'right'): RgbImage {
  const slope = Math.tan((gutter.angle * Math.PI) / 180);
  const lineX = (y: number) => gutter.centreX + (y - sheet.height / 2) * slope;
  const extremes = [lineX(0), lineX(sheet.height)];
  const left = side === 'left' ? 0 : Math.max(0, Math.floor(Math.min(...extremes)));
  const right = side === 'left' ? Math.min(sheet.width, Math.ceil(Math.max(...extremes))) : sheet.width;
  const width = right - left;
  const pixels = new Uint8Array(width * sheet.height * 3).fill(255);
  for (let y = 0; y < sheet.height; y++) {
    const line = lineX(y);
    const [from, to] = side === 'left' ? [0, Math.min(right, Math.round(line))] : [Math.max(left, Math.round(line)), right];
    if (to <= from) continue;
    const source = (y * sheet.width + from) * 3;
    pixels.set(sheet.pixels.subarray(source, source + (to - from) * 3), (y * width + from - left) * 3);
  }
  return { pixels, width, height: sheet.height };
}

/** The paper's brightness along a line: the 90th percentile of its pixels' brightest channel (ink is the minority). */
function paperLevel(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.floor(values.length * 0.9)] ?? 255;
}

/**
 * Lifts the fold's shadow: each line parallel to the gutter near it is brightened so that its paper matches the
 * sheet's. The shadow would otherwise end in a dark edge at the cut, which OCR reads as stray characters.
 */
function liftFoldShadow(sheet: RgbImage, gutter: Gutter): RgbImage {
  const pixels = new Uint8Array(sheet.pixels);
  const slope = Math.tan((gutter.angle * Math.PI) / 180);
  const lineX = (y: number) => Math.round(gutter.centreX + (y - sheet.height / 2) * slope);
  const reach = Math.round(sheet.width * SHADOW_REACH_FRACTION);
  const brightest = (index: number) => Math.max(pixels[index]!, pixels[index + 1]!, pixels[index + 2]!);
  const levels = new Map<number, number>();
  for (let offset = -reach; offset <= reach; offset++) {
    const values: number[] = [];
    for (let y = 0; y < sheet.height; y += 3) {
      const x = lineX(y) + offset;
      if (x >= 0 && x < sheet.width) values.push(brightest((y * sheet.width + x) * 3));
    }
    levels.set(offset, paperLevel(values));
  }
  // Every line within reach is brought to the brighter paper at its ends, so no step is left where lifting stops.
  const sheetPaper = Math.max(levels.get(-reach)!, levels.get(reach)!);
  for (const [offset, level] of levels) {
    if (level >= sheetPaper || level === 0) continue;
    const gain = sheetPaper / level;
    for (let y = 0; y < sheet.height; y++) {
      const x = lineX(y) + offset;
      if (x < 0 || x >= sheet.width) continue;
      const index = (y * sheet.width + x) * 3;
      for (let channel = 0; channel < 3; channel++) pixels[index + channel] = Math.min(255, Math.round(pixels[index + channel]! * gain));
    }
  }
  return { ...sheet, pixels };
}

/** The pages on a scanned sheet in reading order: its two halves when it carries two pages, else the sheet itself. */
export async function pagesOfSheet(sheet: RgbImage): Promise<{ pages: RgbImage[]; gutter: Gutter | null }> {
  const gutter = await findGutter(sheet);
  if (!gutter) return { pages: [sheet], gutter: null };
  const lifted = liftFoldShadow(sheet, gutter);
  return { pages: [halfOf(lifted, gutter, 'left'), halfOf(lifted, gutter, 'right')], gutter };
}

/**
 * The halves of a PDF page read as one page (the tables under a page's text layer, which stays one page): the
 * right half's blocks follow the left's, its boxes moved right by the left half's width, so each box stays on the sheet.
 */
export function joinHalves(halves: DocumentPage[], leftWidthPoints: number): DocumentPage {
  const [left, right] = halves;
  if (!left || !right) return left ?? { number: 0, blocks: [] };
  for (const block of right.blocks) {
    if (block.kind === 'line' && block.box) block.box.x += leftWidthPoints;
    if (block.kind === 'table') for (const cell of block.rows.flat()) if (cell.ocr) cell.ocr.box.x += leftWidthPoints;
  }
  return { number: left.number, blocks: [...left.blocks, ...right.blocks] };
}

/** A portrait A4 page's width in inches. */
const A4_WIDTH_INCHES = 8.27;

/** The resolution of a page image were it as wide as a portrait A4 page (a scan whose header gives none). */
export const dpiOfA4Width = (width: number) => Math.round(width / A4_WIDTH_INCHES);
/** Height by width of a portrait A4 page. */
const PAGE_ASPECT = Math.SQRT2;
/** An image this many times as tall as wide or more holds pages one under another (a "long image" of a report). */
const MIN_STACK_ASPECT = 2.2;
/** A cut between stacked pages lies within this share of a page's height of where the page count puts it. */
const CUT_ZONE = 0.15;
/** Shortest run of inkless rows that parts two pages, as a share of a page's height (two margins make 10 % or more). */
const MIN_PAGE_GAP = 0.02;
/** Ink darker than this share of the paper's brightness counts when looking for the paper between stacked pages. */
const DARK_INK_RATIO = 0.5;
/** A row is inkless when fewer than this share of its pixels are ink (noise, a speck of dust). */
const INKLESS_ROW_SHARE = 0.003;

/**
 * Which rows hold no ink, read in the red channel (a seal is paper there) with the light made even (a photo's
 * dim corners are paper too). Only dark ink counts, under half the paper's brightness: a degraded scan's noise
 * greys every row a little.
 */
function inklessRows(image: RgbImage): boolean[] {
  const gray = grayWithoutSeal(image.pixels, image.width, image.height);
  const even = evenLight({ pixels: gray, width: image.width, height: image.height, dpi: dpiOfA4Width(image.width) }).pixels;
  const ink = DARK_INK_RATIO * 255;
  return Array.from({ length: image.height }, (_, y) => {
    let count = 0;
    for (let x = 0; x < image.width; x++) count += even[y * image.width + x]! < ink ? 1 : 0;
    return count < INKLESS_ROW_SHARE * image.width;
  });
}

/** The longest run of inkless rows between `from` and `to`: its start and length. */
function longestInklessRun(inkless: boolean[], from: number, to: number): { start: number; length: number } {
  let best = { start: from, length: 0 };
  for (let y = Math.max(0, from), run = 0; y < Math.min(inkless.length, to); y++) {
    run = inkless[y] ? run + 1 : 0;
    if (run > best.length) best = { start: y - run + 1, length: run };
  }
  return best;
}

/**
 * The pages of an image of pages set one under another (a report posted as one long image), top first: cut in
 * the middle of the bare paper between them, found near where the page count puts each cut. An image with no
 * such band there — a long table, a page of text running on — stays whole.
 */
export function stackedPages(image: RgbImage): RgbImage[] {
  const pageCount = Math.round(image.height / (image.width * PAGE_ASPECT));
  if (image.height < MIN_STACK_ASPECT * image.width || pageCount < 2) return [image];
  const inkless = inklessRows(image);
  const pageHeight = image.height / pageCount;
  const cuts: number[] = [0];
  for (let page = 1; page < pageCount; page++) {
    const expected = page * pageHeight;
    const run = longestInklessRun(inkless, Math.round(expected - CUT_ZONE * pageHeight), Math.round(expected + CUT_ZONE * pageHeight));
    if (run.length < MIN_PAGE_GAP * pageHeight) return [image];
    cuts.push(run.start + Math.floor(run.length / 2));
  }
  cuts.push(image.height);
  return cuts.slice(1).map((bottom, index) => {
    const top = cuts[index]!;
    return { pixels: image.pixels.slice(top * image.width * 3, bottom * image.width * 3), width: image.width, height: bottom - top };
  });
}
