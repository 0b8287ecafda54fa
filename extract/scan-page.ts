/**
 * One scanned page into blocks: its ruled tables as TableBlocks read cell by cell, the text around them as lines.
 * Every non-blank cell is cut out at its ink and read by PaddleOCR's line recogniser (extract/ocr-paddle.ts), all
 * of a page's cells in a few batched calls; a cell that reads as a figure takes the figure-only decoding. Each cell
 * keeps its confidence and its box, so the parse stage reports a doubtful figure (`ocr_uncertain`) instead of
 * trusting it. The running text around the tables is read by tesseract as whole lines.
 */
import sharp from 'sharp';
import { recogniseCrops, type CropReading, type GreyImage, type LineReading } from './ocr-paddle.ts';
import { recogniseWords, type OcrWord } from './ocr-tesseract.ts';
import type { ScanImage } from './scan-clean.ts';
import { findTableGrids, minGlyphInk, wipeRulings, type GridCell, type ScanTableGrid } from './scan-grid.ts';
import { snapLabel } from './scan-lexicon.ts';
import type { Box, LineBlock, OcrReading, TableBlock, TableCell } from './types.ts';

/** Ink darker than this counts when telling a ruling's residue from a glyph. */
const TEXT_INK = 150;
/** Ink darker than this, in strokes, counts when deciding whether a cell is blank and where its content lies. */
const FAINT_INK = 185;
/** Pixels at least this light are paper in a crop. */
const PAPER_LIGHT = 200;
const FIGURE_TEXT = /^[-—－+]?[\d.,，]+$/;

interface Crop {
  cell: GridCell;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where a crop lies on the page (a cell's content, or a word of a line). */
type CropBox = Pick<Crop, 'left' | 'top' | 'width' | 'height'>;
/** A stretch of the page in pixels: left and top inside, right and bottom outside. */
type Bounds = { left: number; right: number; top: number; bottom: number };
/** The box of a cell's ink (inclusive pixel edges) and how many ink pixels it holds. */
type InkBox = { x0: number; y0: number; x1: number; y1: number; ink: number };

/** Share of a crop's height (width) a column (row) of ink must fill to be a ruling's residue, not a glyph stroke. */
const RESIDUE_FILL = 0.75;

/** Ink count of a column or row of the box. */
function inkAlong(pixels: Uint8Array, image: ScanImage, box: Bounds, at: number, vertical: boolean): number {
  let ink = 0;
  if (vertical) for (let y = box.top; y < box.bottom; y++) ink += pixels[y * image.width + at]! < TEXT_INK ? 1 : 0;
  else for (let x = box.left; x < box.right; x++) ink += pixels[at * image.width + x]! < TEXT_INK ? 1 : 0;
  return ink;
}

/**
 * Moves the box's edges inwards past what is left of the rulings (a column or row almost full of ink at an
 * edge): a ruling that survives wiping would read as a "1" beside the figure.
 */
function shrinkPastResidue(pixels: Uint8Array, image: ScanImage, box: Bounds): void {
  const reach = Math.max(4, Math.round(image.dpi / 20));
  const full = (at: number, vertical: boolean) =>
    inkAlong(pixels, image, box, at, vertical) >= RESIDUE_FILL * (vertical ? box.bottom - box.top : box.right - box.left);
  // The innermost full line within reach of each edge: the residue may stand a pixel or two inside the box.
  const innermost = (from: number, direction: 1 | -1, vertical: boolean) => {
    let found = -1;
    for (let offset = 0; offset < reach; offset++) if (full(from + direction * offset, vertical)) found = offset;
    return found + 1;
  };
  if (box.right - box.left > reach * 2) {
    box.left += innermost(box.left, 1, true);
    box.right -= innermost(box.right - 1, -1, true);
  }
  if (box.bottom - box.top > reach * 2) {
    box.top += innermost(box.top, 1, false);
    box.bottom -= innermost(box.bottom - 1, -1, false);
  }
}

/** The box of the ink darker than `threshold` in a box, with how much there is. */
function inkBox(pixels: Uint8Array, image: ScanImage, box: Bounds, threshold: number): InkBox {
  const found = { x0: Infinity, y0: Infinity, x1: -1, y1: -1, ink: 0 };
  const isInk = (at: number) => pixels[at]! < threshold;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      const at = y * image.width + x;
      // Ink whose neighbour to the right or below is ink too: a stroke, not a speck of noise.
      if (!isInk(at) || !(isInk(at + 1) || isInk(at + image.width))) continue;
      found.ink++;
      found.x0 = Math.min(found.x0, x);
      found.x1 = Math.max(found.x1, x);
      found.y0 = Math.min(found.y0, y);
      found.y1 = Math.max(found.y1, y);
    }
  }
  return found;
}

/**
 * The ink box grown over the faint ink joined to its dark strokes: a light print's thin strokes (the diagonal
 * of a "4" beside its dark stem) are fainter than the dark-ink test, and a box without them cuts the glyph.
 * Faint ink not joined to a dark stroke (noise, what is left of a seal) does not grow it, nor does the blurred
 * rim of a worn scan's strokes: the box grows only sideways (a figure's height is its dark strokes'), and a
 * side only by more than a rim — the recogniser reads a short figure differently for a pixel or two more of
 * margin.
 */
function withFaintStrokes(pixels: Uint8Array, image: ScanImage, box: Bounds, found: InkBox): InkBox {
  const width = box.right - box.left;
  const seen = new Uint8Array(width * (box.bottom - box.top));
  const queue: number[] = [];
  const visit = (x: number, y: number) => {
    if (x < box.left || x >= box.right || y < box.top || y >= box.bottom) return;
    const at = (y - box.top) * width + (x - box.left);
    if (seen[at] || pixels[y * image.width + x]! >= PAPER_LIGHT) return;
    seen[at] = 1;
    queue.push(x, y);
  };
  for (let y = found.y0; y <= found.y1; y++)
    for (let x = found.x0; x <= found.x1; x++) if (pixels[y * image.width + x]! < TEXT_INK) visit(x, y);
  const grown = { ...found };
  for (let next = 0; next < queue.length; next += 2) {
    const [x, y] = [queue[next]!, queue[next + 1]!];
    grown.x0 = Math.min(grown.x0, x);
    grown.x1 = Math.max(grown.x1, x);
    grown.y0 = Math.min(grown.y0, y);
    grown.y1 = Math.max(grown.y1, y);
    for (const [dx, dy] of NEIGHBOURS) visit(x + dx, y + dy);
  }
  const rim = Math.max(2, Math.round(image.dpi / 75));
  const beyondRim = (from: number, to: number) => (Math.abs(to - from) > rim ? to : from);
  return { ...found, x0: beyondRim(found.x0, grown.x0), x1: beyondRim(found.x1, grown.x1) };
}

const NEIGHBOURS = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => [dx, dy] as const)).filter(([dx, dy]) => dx || dy);

/** Share of the cell's height a thin run of ink at a side of the content must span to be a ruling's residue ... */
const SIDE_RESIDUE_HEIGHT = 0.6;
/** ... with ink in this share of the cell's rows at least: a dashed ruling's gaps are paper, its faint dashes too. */
const SIDE_RESIDUE_INK = 0.2;

/**
 * The ink box without a ruling's residue standing apart at its left or right (what the wipe left of a slanted
 * or broken column line, which no single column fills): a run of ink columns no wider than a ruling, spanning
 * most of the cell's height (a dashed line with its gaps), parted from the rest by paper. Kept, it reads as a "1"
 * beside the figure, or stretches the crop over the whole cell and the figure reads as nothing. What is left is
 * boxed by ink darker than `threshold` (the look the box was found with). A cell whose only ink is such a run at
 * the cell's edge is blank (an ink box with no ink), or its "1" would read from the ruling.
 */
function withoutSideResidue(pixels: Uint8Array, image: ScanImage, box: Bounds, found: InkBox, threshold: number): InkBox {
  if (found.ink === 0) return found;
  const rulingWidth = Math.max(3, Math.round(image.dpi / 50));
  const height = box.bottom - box.top;
  /** Whether a column has ink in the rows of the content. */
  const inkedColumn = (x: number) => {
    for (let y = found.y0; y <= found.y1; y++) if (pixels[y * image.width + x]! < FAINT_INK) return true;
    return false;
  };
  /** Whether the ink between two columns runs along the cell: its rows over the cell's height, and their span. */
  const alongCell = (from: number, to: number) => {
    let [rows, first, last] = [0, -1, -1];
    for (let y = box.top; y < box.bottom; y++) {
      let ink = false;
      for (let x = from; x <= to && !ink; x++) ink = pixels[y * image.width + x]! < FAINT_INK;
      if (ink) [rows, first, last] = [rows + 1, first < 0 ? y : first, y];
    }
    return rows >= SIDE_RESIDUE_INK * height && last - first + 1 >= SIDE_RESIDUE_HEIGHT * height;
  };
  /** A side's residue: the first column past the paper after it, and whether it stands at the cell's edge (null: none). */
  const residue = (from: number, step: 1 | -1): { end: number; atEdge: boolean } | null => {
    let x = from;
    while (x * step <= (from + step * rulingWidth) * step && inkedColumn(x)) x += step;
    if ((x - from) * step > rulingWidth || inkedColumn(x)) return null;
    // The run's columns and the next one out: a slanted ruling's residue drifts a pixel over a cell's height.
    const outer = Math.min(box.right - 1, Math.max(box.left, from - step));
    if (!alongCell(Math.min(x - step, outer), Math.max(x - step, outer))) return null;
    const side = step === 1 ? box.left : box.right - 1;
    return { end: x, atEdge: Math.abs(from - side) < Math.max(4, Math.round(image.dpi / 20)) };
  };
  let inner = { ...box, left: found.x0, right: found.x1 + 1 };
  const left = residue(found.x0, 1);
  if (left !== null) inner = { ...inner, left: left.end };
  const right = residue(found.x1, -1);
  if (right !== null) inner = { ...inner, right: right.end + 1 };
  if (left === null && right === null) return found;
  const rest = inner.right > inner.left ? inkBox(pixels, image, inner, threshold) : { ...found, ink: 0 };
  // Nothing beside the run: at the cell's edge it is a ruling's residue; further in it may be a "1".
  return rest.ink > 0 || left?.atEdge || right?.atEdge ? rest : found;
}

/** A group of ink with less than this share of the inkiest group's dark ink is stray (noise, a seal's residue). */
const STRAY_INK_SHARE = 0.2;
/** Widest a figure's ink is for its height: some ten digits. */
const FIGURE_ASPECT = 6;

/**
 * The ink box without stray ink standing apart from the content: columns of dark ink are grouped where paper
 * wider than the ink is tall parts them, and beside a figure-sized inkiest group, a group with little ink
 * (specks of a seal's residue beyond a figure) is left out. Kept, it reads as another character (".5" after a
 * "10").
 */
function withoutStrayInk(pixels: Uint8Array, image: ScanImage, found: InkBox): InkBox {
  const gap = found.y1 - found.y0 + 1;
  const groups: { x0: number; x1: number; ink: number }[] = [];
  let blank = gap;
  for (let x = found.x0; x <= found.x1; x++) {
    let ink = 0;
    for (let y = found.y0; y <= found.y1; y++) ink += pixels[y * image.width + x]! < TEXT_INK ? 1 : 0;
    if (ink === 0) {
      blank++;
      continue;
    }
    const group = groups.at(-1);
    if (group && blank < gap) Object.assign(group, { x1: x, ink: group.ink + ink });
    else groups.push({ x0: x, x1: x, ink });
    blank = 0;
  }
  const inkiest = groups.reduce((most, group) => (group.ink > most.ink ? group : most), groups[0]!);
  // A line of text (a label) is left whole: its number ("1.") may stand apart from its words.
  if (inkiest.x1 - inkiest.x0 + 1 > FIGURE_ASPECT * gap) return found;
  const kept = groups.filter((group) => group.ink >= STRAY_INK_SHARE * inkiest.ink);
  if (kept.length === groups.length || kept.length === 0) return found;
  return inkBox(pixels, image, { left: kept[0]!.x0, right: kept.at(-1)!.x1 + 1, top: found.y0, bottom: found.y1 + 1 }, TEXT_INK);
}

/** Share of its box a dash's faint ink fills at least. */
const DASH_FILL = 0.6;

/**
 * The ink box grown over a minus sign standing just before it: a dash thinner than the dark-ink test (a small
 * scan's one-pixel stroke comes out grey) does not count as a stroke, and a figure cropped without it loses its
 * sign — with no identity over table 二 to notice. A dash is faint ink within a digit's width left of the box,
 * in the middle of its height, wider than tall and no taller than a quarter of the figure, with paper above and
 * below. The recogniser then reads the sign, or reads it doubtfully.
 */
function withSignBefore(pixels: Uint8Array, image: ScanImage, box: Bounds, found: InkBox): InkBox {
  const height = found.y1 - found.y0 + 1;
  const reach = { left: Math.max(box.left, found.x0 - height), right: found.x0 - 1 };
  const band = { top: found.y0 + Math.floor(height / 4), bottom: found.y1 - Math.floor(height / 4) };
  const dash = { x0: Infinity, x1: -1, y0: Infinity, y1: -1, ink: 0 };
  for (let y = band.top; y <= band.bottom; y++)
    for (let x = reach.left; x <= reach.right; x++) {
      if (pixels[y * image.width + x]! >= FAINT_INK) continue;
      Object.assign(dash, { x0: Math.min(dash.x0, x), x1: Math.max(dash.x1, x), y0: Math.min(dash.y0, y), y1: Math.max(dash.y1, y) });
      dash.ink++;
    }
  const [width, tall] = [dash.x1 - dash.x0 + 1, dash.y1 - dash.y0 + 1];
  if (dash.x1 < 0 || width < Math.max(3, height / 4) || width < tall * 1.5 || tall > height / 4) return found;
  // A stroke fills its box; the specks a seal or noise leaves about scatter over theirs.
  if (dash.ink < DASH_FILL * width * tall) return found;
  // Paper right above and below the dash: a stroke of something taller (a "4" of a number before) is no sign.
  const paperAt = (y: number) => {
    for (let x = dash.x0; x <= dash.x1; x++) if (pixels[y * image.width + x]! < FAINT_INK) return false;
    return true;
  };
  if (!paperAt(dash.y0 - 1) || !paperAt(dash.y1 + 1)) return found;
  return { ...found, x0: dash.x0 };
}

/**
 * The content box of a cell (ink inside its rulings), or null when the cell is blank. Dark ink decides first;
 * a cell with none is looked at again for faint ink (a thin serif figure of a worn 120-dpi copy).
 */
function contentCrop(pixels: Uint8Array, image: ScanImage, cell: GridCell): Crop | null {
  const inset = Math.max(2, Math.round(image.dpi / 50));
  const box = {
    left: Math.max(0, Math.round(cell.box.left) + inset),
    right: Math.min(image.width, Math.round(cell.box.right) - inset),
    top: Math.max(0, Math.round(cell.box.top) + inset),
    bottom: Math.min(image.height, Math.round(cell.box.bottom) - inset),
  };
  if (box.right - box.left < 3 || box.bottom - box.top < 3) return null;
  shrinkPastResidue(pixels, image, box);
  // Noise and JPEG speckle leave a few dark pixels; the smallest figure ("1") has dozens.
  const enough = ({ ink, y0, y1 }: InkBox) => ink >= minGlyphInk(image.dpi) && y1 - y0 >= image.dpi / 30;
  const dark = inkBox(pixels, image, box, TEXT_INK);
  // Dark ink that is only a ruling's residue leaves the cell to the faint-ink look.
  const content = enough(dark) ? withoutSideResidue(pixels, image, box, dark, TEXT_INK) : dark;
  const found = enough(content)
    ? withSignBefore(pixels, image, box, withFaintStrokes(pixels, image, box, withoutStrayInk(pixels, image, content)))
    : withoutSideResidue(pixels, image, box, inkBox(pixels, image, box, FAINT_INK), FAINT_INK);
  if (!enough(found)) return null;
  const { x0, y0, x1, y1 } = found;
  const margin = 2;
  return {
    cell,
    left: Math.max(0, x0 - margin),
    top: Math.max(0, y0 - margin),
    width: Math.min(image.width, x1 + margin + 1) - Math.max(0, x0 - margin),
    height: Math.min(image.height, y1 + margin + 1) - Math.max(0, y0 - margin),
  };
}

/** Joins a band's words in reading order: CJK without spaces, Latin and figures with one. */
function joinWords(words: OcrWord[]): string {
  const ordered = [...words].sort((a, b) => (a.lineKey === b.lineKey ? a.left - b.left : a.top - b.top));
  return ordered
    .map((word) => word.text)
    .join(' ')
    .replace(/(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])|(?<=[^\x00-\x7f]) (?=[\x00-\x7f])|(?<=[\x00-\x7f]) (?=[^\x00-\x7f])/g, '')
    .trim();
}

/** Whether a Chinese-pass reading looks like a figure, so the digit pass should read it again. */
const looksLikeFigure = (text: string) => FIGURE_TEXT.test(text.replace(/\s/g, '')) || (text.length <= 12 && !/[\u3400-\u9fff]/.test(text));

/** One or two characters that are no template label: more likely a misread figure than text. */
const isStrayShortText = (text: string) => text.replace(/\s/g, '').length <= 2 && snapLabel(text) === null;

/** A figure as the passes are compared: separators, ruling residue and stray marks dropped. */
const normalFigure = (text: string) => text.replace(/[\s,，|。'"`‘’“”]/g, '').replace(/[—－]/g, '-');

/** A cell read as text (a label) or as a figure, with the reading's confidence and the other reading kept. */
interface CellReading {
  text: string;
  confidence: number;
  pass: 'text' | 'digits';
  alternatives?: string[];
  raw?: string;
}

/** Paper added around a crop, as a share of its height: the recogniser was trained on lines cut with a margin. */
const CROP_MARGIN = 0.25;
/**
 * The margin of a doubtful line's second reading. The recogniser's reading of a lone short figure swings with
 * the share of the line its glyphs fill (a "60" read as nothing, a "0" as "6"); a second margin tells a steady
 * reading from a chance one (measured on degraded scans: 0.4 loses many zeros, 0.1 reads them).
 */
const TIGHT_MARGIN = 0.1;

/**
 * A crop's pixels with a margin of paper around (wider at the sides where `minAspect` asks for it); paper-light
 * pixels (noise, what is left of a seal) become paper, and the ink is stretched to black (a faint "0" of a worn
 * copy reads as surely as a dark one).
 */
function greyCrop(pixels: Uint8Array, image: ScanImage, crop: CropBox, { minAspect = 0, marginShare = CROP_MARGIN } = {}): GreyImage {
  const margin = Math.max(2, Math.round(crop.height * marginShare));
  const height = crop.height + margin * 2;
  const sideMargin = Math.max(margin, Math.ceil((height * minAspect - crop.width) / 2));
  const width = crop.width + sideMargin * 2;
  let darkest = PAPER_LIGHT - 1;
  for (let row = 0; row < crop.height; row++) {
    const from = (crop.top + row) * image.width + crop.left;
    for (let x = 0; x < crop.width; x++) darkest = Math.min(darkest, pixels[from + x]!);
  }
  const stretch = 255 / (PAPER_LIGHT - darkest);
  const grey = new Uint8Array(width * height).fill(255);
  for (let row = 0; row < crop.height; row++) {
    const from = (crop.top + row) * image.width + crop.left;
    const to = (margin + row) * width + sideMargin;
    for (let x = 0; x < crop.width; x++) {
      const value = pixels[from + x]!;
      grey[to + x] = value >= PAPER_LIGHT ? 255 : Math.round((value - darkest) * stretch);
    }
  }
  return { pixels: grey, width, height };
}

/**
 * A cell's reading: a figure (what reads as one, or as a stray character or two that is no label) takes the
 * figure-only decoding, with its confidence; the free reading is kept as an alternative where it differs. Text is
 * snapped to a template label where it is close to one.
 */
function cellReading({ free, figure }: CropReading): CellReading {
  if (readsAsFigure({ free, figure })) {
    const text = normalFigure(figure.text);
    const other = normalFigure(free.text);
    const alternatives = other !== text && FIGURE_TEXT.test(other) ? { alternatives: [text, other] } : {};
    // Ink tall enough to be a glyph read as a lone dash or dot: no figure was read ("1" taken for "-").
    const confidence = text === '' || /\d/.test(text) ? figure.confidence : 0;
    return { text, confidence, pass: 'digits', ...alternatives };
  }
  const snapped = snapLabel(free.text);
  return {
    text: snapped ?? free.text,
    confidence: free.confidence,
    pass: 'text',
    ...(snapped && snapped !== free.text ? { raw: free.text } : {}),
  };
}

/** A blank band at least this tall (share of the dpi) parts two text lines of a cell. */
const LINE_GAP_DPI_SHARE = 1 / 75;

/**
 * The text lines of a crop, found by its rows of ink: a header cell wraps its label over two or three lines
 * ("自然 / 人"), and the recogniser reads one line at a time. A band too thin to be a line of glyphs (a stroke
 * of noise) joins its neighbour.
 */
function textLines(pixels: Uint8Array, image: ScanImage, crop: CropBox): CropBox[] {
  const inkRows: boolean[] = [];
  for (let y = crop.top; y < crop.top + crop.height; y++) {
    let ink = false;
    for (let x = crop.left; x < crop.left + crop.width && !ink; x++) ink = pixels[y * image.width + x]! < TEXT_INK;
    inkRows.push(ink);
  }
  const minGap = Math.max(1, Math.round(image.dpi * LINE_GAP_DPI_SHARE));
  const minHeight = image.dpi / 25;
  const bands: { top: number; bottom: number }[] = [];
  let start = -1;
  let blank = 0;
  inkRows.forEach((ink, row) => {
    if (ink && start < 0) start = row;
    if (ink) blank = 0;
    else if (start >= 0 && ++blank >= minGap) {
      bands.push({ top: start, bottom: row - blank + 1 });
      start = -1;
    }
  });
  if (start >= 0) bands.push({ top: start, bottom: inkRows.length });
  const lines = bands.reduce<{ top: number; bottom: number }[]>((merged, band) => {
    const last = merged.at(-1);
    if (last && (band.bottom - band.top < minHeight || last.bottom - last.top < minHeight)) last.bottom = band.bottom;
    else merged.push({ ...band });
    return merged;
  }, []);
  if (lines.length <= 1) return [crop];
  return lines.map((line) => ({ left: crop.left, top: crop.top + line.top, width: crop.width, height: line.bottom - line.top }));
}

/** PaddleOCR's recogniser was trained on lines padded to 320 × 48 pixels: a lone small glyph reads best so. */
const TRAINED_ASPECT = 320 / 48;

const readsNothing = (reading: CropReading) => reading.free.text === '' && reading.figure.text === '';

/** The line readings of a page's cells, cell by cell, from one list of every cell's lines in order. */
function perCell(readings: CropReading[], cellLines: CropBox[][]): CropReading[][] {
  let next = 0;
  return cellLines.map((lines) => readings.slice(next, (next += lines.length)));
}

/**
 * Lines with ink that read as nothing (a lone small "0" of a 120-dpi scan, taken for paper) are read again
 * padded with paper to the width the recogniser was trained on; what they read then replaces the nothing.
 */
async function rereadEmptyLines(pixels: Uint8Array, image: ScanImage, lines: CropBox[], readings: CropReading[]): Promise<void> {
  const empty = readings.flatMap((reading, index) => (readsNothing(reading) ? [index] : []));
  const again = await recogniseCrops(empty.map((index) => greyCrop(pixels, image, lines[index]!, { minAspect: TRAINED_ASPECT })));
  empty.forEach((index, position) => {
    if (!readsNothing(again[position]!)) readings[index] = again[position]!;
  });
}

/** A figure-like line read with less confidence than this is read a second time, with another margin. */
const SURE_LINE_READING = 90;

/** Whether a line reads as a figure (or a stray character or two that is no label), as `cellReading` decides. */
const readsAsFigure = (reading: CropReading) => looksLikeFigure(reading.free.text) || isStrayShortText(reading.free.text);

/**
 * Whether a line's reading is a figure (or nothing) to read a second time: one read with some doubt, and any of
 * several digits — the recogniser drops a digit of a longer figure with a sure confidence ("447" as "47").
 */
export const needsSecondReading = (reading: CropReading) =>
  readsNothing(reading) ||
  (readsAsFigure(reading) && (reading.figure.confidence < SURE_LINE_READING || reading.figure.text.replace(/\D/g, '').length > 1));

/** Confidence at most of a figure two readings read differently: either may be the right one. */
const SPLIT_READING_CONFIDENCE = 50;

/**
 * Two readings of one line as one: what one of them reads where the other reads nothing; the surer where they
 * agree; where they read two figures, the surer one with no more confidence than an even split (a swing between
 * two readings is doubt, reported rather than resolved).
 */
export function agreedReading(first: CropReading, second: CropReading): CropReading {
  if (readsNothing(second)) return first;
  if (readsNothing(first)) return second;
  const [surer, other] = first.figure.confidence >= second.figure.confidence ? [first, second] : [second, first];
  if (normalFigure(first.figure.text) === normalFigure(second.figure.text)) return surer;
  const doubt = Math.min(other.figure.confidence, SPLIT_READING_CONFIDENCE);
  return { free: { ...surer.free, confidence: Math.min(surer.free.confidence, doubt) }, figure: { ...surer.figure, confidence: doubt } };
}

/** Doubtful figure lines read again with a tighter margin, the two readings agreed. */
async function rereadDoubtfulLines(pixels: Uint8Array, image: ScanImage, lines: CropBox[], readings: CropReading[]): Promise<void> {
  const doubtful = readings.flatMap((reading, index) => (needsSecondReading(reading) ? [index] : []));
  const again = await recogniseCrops(doubtful.map((index) => greyCrop(pixels, image, lines[index]!, { marginShare: TIGHT_MARGIN })));
  doubtful.forEach((index, position) => (readings[index] = agreedReading(readings[index]!, again[position]!)));
}

/**
 * A cell's line readings as one: texts joined (CJK without a space), the least confidence. Two lines that each
 * read as a figure are no wrapped figure but two cells' figures under one box (a row ruling lost): joined, they
 * would make a new figure ("4" over "1" as 41), so the reading gets no confidence.
 */
function joinLineReadings(lines: CropReading[]): CropReading {
  const stacked = lines.filter((line) => readsAsFigure(line) && /\d/.test(line.figure.text)).length > 1;
  const join = (pick: (reading: CropReading) => LineReading): LineReading => ({
    text: lines.map((line) => pick(line).text).join(''),
    confidence: stacked ? 0 : Math.min(...lines.map((line) => pick(line).confidence)),
  });
  return { free: join((line) => line.free), figure: join((line) => line.figure) };
}

/** Reads every non-blank cell of the page, line by line. */
async function readCells(pixels: Uint8Array, image: ScanImage, crops: CropBox[]): Promise<CellReading[]> {
  const cellLines = crops.map((crop) => textLines(pixels, image, crop));
  const lines = cellLines.flat();
  const readings = await recogniseCrops(lines.map((line) => greyCrop(pixels, image, line)));
  await rereadDoubtfulLines(pixels, image, lines, readings);
  await rereadEmptyLines(pixels, image, lines, readings);
  const joined = perCell(readings, cellLines).map(joinLineReadings);
  await rereadUnsnappedLabels(pixels, image, cellLines, joined);
  return joined.map(cellReading);
}

/** Whether a cell reads as text that is no template label, with some doubt: maybe a misread label. */
const isDoubtfulLabel = (reading: CropReading) =>
  !readsAsFigure(reading) && reading.free.confidence < SURE_LINE_READING && snapLabel(reading.free.text) === null;

/**
 * Doubtful text that snaps to no template label is read again with the tight margin: a label the first reading
 * garbled ("执法案卷" as "执法重参") loses its table row. The second reading is taken only where it snaps.
 */
async function rereadUnsnappedLabels(pixels: Uint8Array, image: ScanImage, cellLines: CropBox[][], joined: CropReading[]): Promise<void> {
  const doubtful = joined.flatMap((reading, index) => (isDoubtfulLabel(reading) ? [index] : []));
  const doubtfulLines = doubtful.map((index) => cellLines[index]!);
  const again = await recogniseCrops(doubtfulLines.flat().map((line) => greyCrop(pixels, image, line, { marginShare: TIGHT_MARGIN })));
  perCell(again, doubtfulLines).forEach((second, position) => {
    joined[doubtful[position]!] = snappingReading(joined[doubtful[position]!]!, joinLineReadings(second));
  });
}

/** Of a doubtful label's two readings, the second where it snaps to a template label, else the first. */
export function snappingReading(first: CropReading, second: CropReading): CropReading {
  return !readsAsFigure(second) && snapLabel(second.free.text) !== null ? second : first;
}

const toPoints = (pixels: number, dpi: number) => (pixels * 72) / dpi;

function boxInPoints(box: { left: number; top: number; right: number; bottom: number }, dpi: number): Box {
  return {
    x: toPoints(box.left, dpi),
    y: toPoints(box.top, dpi),
    width: toPoints(box.right - box.left, dpi),
    height: toPoints(box.bottom - box.top, dpi),
  };
}

/** The grid as a TableBlock: merged cells expanded, each origin slot with its OCR reading. */
function toTableBlock(grid: ScanTableGrid, readings: Map<GridCell, OcrReading & { text: string }>): TableBlock {
  const rows: TableCell[][] = Array.from({ length: grid.rows }, () => Array.from({ length: grid.columns }, () => ({ text: '' })));
  for (const cell of grid.cells) {
    const reading = readings.get(cell)!;
    const { text, ...ocr } = reading;
    for (let row = cell.row; row < cell.row + cell.rowSpan; row++) {
      for (let column = cell.column; column < cell.column + cell.columnSpan; column++) {
        const origin = row === cell.row && column === cell.column;
        rows[row]![column] = origin ? { text, ocr } : { text, spanned: true };
      }
    }
  }
  return { kind: 'table', index: 0, origin: 'ocr', rows };
}

/** A word the Chinese pass read as a figure, or as a few stray Latin letters (17 → "IT"): maybe a figure. */
const mayBeFigure = (text: string) => /[0-9A-Za-z]/.test(text) && !/[\u3400-\u9fff]/.test(text) && looksLikeFigure(text);

/** A figure the recogniser reads this surely replaces tesseract's reading of a word of running text. */
const SURE_FIGURE_CONFIDENCE = 80;

/**
 * Reads the page's figure-like words again with the recogniser's figure-only decoding: an unruled table's figures
 * sit in running lines, where tesseract takes 17 for "IT" or "7". A sure figure reading replaces tesseract's;
 * otherwise tesseract's stays.
 */
async function rereadFigures(pixels: Uint8Array, image: ScanImage, words: OcrWord[]): Promise<OcrWord[]> {
  const candidates = words.filter((word) => mayBeFigure(word.text));
  if (candidates.length === 0) return words;
  const crops = candidates.map((word) => {
    const left = Math.max(0, word.left - 2);
    const top = Math.max(0, word.top - 2);
    const width = Math.min(image.width, word.left + word.width + 3) - left;
    const height = Math.min(image.height, word.top + word.height + 3) - top;
    return greyCrop(pixels, image, { left, top, width, height });
  });
  const readings = await recogniseCrops(crops);
  const reread = new Map<OcrWord, string>();
  candidates.forEach((word, index) => {
    const figure = readings[index]!.figure;
    const text = normalFigure(figure.text);
    if (figure.confidence >= SURE_FIGURE_CONFIDENCE && FIGURE_TEXT.test(text)) reread.set(word, text);
  });
  return words.map((word) => (reread.has(word) ? { ...word, text: reread.get(word)! } : word));
}

/** A line's words: a gap wider than a character (a column of an unruled table) becomes a TAB, as in PDF text lines. */
function joinLineWords(words: OcrWord[]): string {
  const ordered = [...words].sort((a, b) => a.left - b.left);
  const columns: OcrWord[][] = [];
  for (const word of ordered) {
    const column = columns.at(-1);
    const previous = column?.at(-1);
    if (column && previous && word.left - (previous.left + previous.width) <= Math.max(previous.height, word.height) * 1.2)
      column.push(word);
    else columns.push([word]);
  }
  return columns.map(joinWords).join('\t');
}

/** The page's text outside its tables, as lines with boxes (points). */
async function readLines(pixels: Uint8Array, image: ScanImage, grids: ScanTableGrid[]): Promise<{ line: LineBlock; top: number }[]> {
  // Paper-light speckle becomes paper: on a noisy scan the engine would otherwise read noise as text, slowly.
  const page = pixels.map((value) => (value >= PAPER_LIGHT ? 255 : value));
  for (const grid of grids) {
    for (let y = Math.max(0, Math.floor(grid.box.top) - 2); y <= Math.min(image.height - 1, Math.ceil(grid.box.bottom) + 2); y++) {
      page.fill(
        255,
        y * image.width + Math.max(0, Math.floor(grid.box.left) - 2),
        y * image.width + Math.min(image.width, Math.ceil(grid.box.right) + 3),
      );
    }
  }
  // Running text is set larger than table cells: the page as scanned reads well enough, and twice as fast.
  const scale = 1;
  const png = await sharp(page, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(Math.round(image.width * scale), Math.round(image.height * scale), { kernel: 'cubic' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  const words = await rereadFigures(pixels, image, await recogniseWords(png, { language: 'chi_sim', psm: 6 }));
  const lines = new Map<string, OcrWord[]>();
  for (const word of words) lines.set(word.lineKey, [...(lines.get(word.lineKey) ?? []), word]);
  return [...lines.values()]
    .map((lineWords) => {
      const left = Math.min(...lineWords.map((word) => word.left)) / scale;
      const top = Math.min(...lineWords.map((word) => word.top)) / scale;
      const right = Math.max(...lineWords.map((word) => word.left + word.width)) / scale;
      const bottom = Math.max(...lineWords.map((word) => word.top + word.height)) / scale;
      const text = joinLineWords(lineWords);
      return { line: { kind: 'line' as const, text, box: boxInPoints({ left, top, right, bottom }, image.dpi) }, top };
    })
    .filter(({ line }) => line.text.replace(/[\s|_\-—~.,'"`]/g, '') !== '');
}

/**
 * Reads one cleaned, straight page: tables cell by cell and the lines around them, in reading order.
 * `linesToo: false`: the tables only (nothing at all, quickly, when the page has no ruled table).
 */
export async function readScanPage(
  image: ScanImage,
  pageNumber: number,
  options: { linesToo: boolean } = { linesToo: true },
): Promise<(LineBlock | TableBlock)[]> {
  const grids = findTableGrids(image);
  if (grids.length === 0 && !options.linesToo) return [];
  const pixels = wipeRulings(image, grids);
  const cells = grids.flatMap((grid) => grid.cells);
  const crops = cells.map((cell) => contentCrop(pixels, image, cell));
  const present = crops.filter((crop): crop is Crop => crop !== null);
  const cellReadings = await readCells(pixels, image, present);
  const readings = new Map<GridCell, OcrReading & { text: string }>();
  const box = (cell: GridCell) => ({ page: pageNumber, ...boxInPoints(cell.box, image.dpi) });
  for (const cell of cells) readings.set(cell, { text: '', confidence: 100, box: box(cell), pass: 'blank' });
  present.forEach((crop, index) => readings.set(crop.cell, { ...cellReadings[index]!, box: box(crop.cell) }));
  const tables = grids.map((grid) => ({ block: toTableBlock(grid, readings) as LineBlock | TableBlock, top: grid.box.top }));
  const lines = options.linesToo ? await readLines(pixels, image, grids) : [];
  return [...tables, ...lines.map(({ line, top }) => ({ block: line as LineBlock | TableBlock, top }))]
    .sort((a, b) => a.top - b.top)
    .map(({ block }) => block);
}
