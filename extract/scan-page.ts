/**
 * One scanned page into blocks: its ruled tables as TableBlocks read cell by cell, the text around them as lines.
 * Cells are recognised in two strips (every non-blank cell's crop stacked on one image, so one engine call reads
 * them all): Chinese text first, then a digit-only pass over the cells that read as figures. Each cell keeps its
 * confidence and its box; where the two passes disagree on a figure the cell's confidence is low, so the parse
 * stage reports it (`ocr_uncertain`) instead of trusting either reading.
 */
import sharp from 'sharp';
import { recogniseWords, type OcrWord } from './ocr-tesseract.ts';
import type { ScanImage } from './scan-clean.ts';
import { findTableGrids, wipeRulings, type GridCell, type ScanTableGrid } from './scan-grid.ts';
import { snapLabel } from './scan-lexicon.ts';
import type { Box, LineBlock, OcrReading, TableBlock, TableCell } from './types.ts';

/** Ink darker than this counts when deciding whether a cell is blank and where its content lies. */
const TEXT_INK = 150;
/** Pixels at least this light are paper in a strip. */
const PAPER_LIGHT = 200;
/** Tesseract reads best with glyphs about 30 px tall: small scans are enlarged to about 300 dpi. */
const RECOGNITION_DPI = 300;
/** Confidence given to a figure the two passes disagree on: below any acceptance threshold. */
const DISAGREEMENT_CONFIDENCE = 20;
/** Confidence of a figure both passes read alike (tesseract scores a lone digit erratically, even 0). */
const AGREEMENT_CONFIDENCE = 90;
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

interface CellReading {
  text: string;
  confidence: number;
}

/** Share of a crop's height (width) a column (row) of ink must fill to be a ruling's residue, not a glyph stroke. */
const RESIDUE_FILL = 0.75;

/** Ink count of a column or row of the box. */
function inkAlong(
  pixels: Uint8Array,
  image: ScanImage,
  box: { left: number; right: number; top: number; bottom: number },
  at: number,
  vertical: boolean,
): number {
  let ink = 0;
  if (vertical) for (let y = box.top; y < box.bottom; y++) ink += pixels[y * image.width + at]! < TEXT_INK ? 1 : 0;
  else for (let x = box.left; x < box.right; x++) ink += pixels[at * image.width + x]! < TEXT_INK ? 1 : 0;
  return ink;
}

/**
 * Moves the box's edges inwards past what is left of the rulings (a column or row almost full of ink at an
 * edge): a ruling that survives wiping would read as a "1" beside the figure.
 */
function shrinkPastResidue(pixels: Uint8Array, image: ScanImage, box: { left: number; right: number; top: number; bottom: number }): void {
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

/** The content box of a cell (ink inside its rulings), or null when the cell is blank. */
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
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  let ink = 0;
  for (let y = box.top; y < box.bottom; y++) {
    for (let x = box.left; x < box.right; x++) {
      if (pixels[y * image.width + x]! >= TEXT_INK) continue;
      ink++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  // Noise and JPEG speckle leave a few dark pixels; the smallest figure ("1") has dozens.
  if (ink < Math.max(6, (image.dpi / 150) ** 2 * 12) || y1 - y0 < image.dpi / 30) return null;
  const margin = 2;
  return {
    cell,
    left: Math.max(0, x0 - margin),
    top: Math.max(0, y0 - margin),
    width: Math.min(image.width, x1 + margin + 1) - Math.max(0, x0 - margin),
    height: Math.min(image.height, y1 + margin + 1) - Math.max(0, y0 - margin),
  };
}

/** Stacks the crops into one white strip, scaled to the recognition resolution; returns it and each crop's band. */
async function stripOf(
  pixels: Uint8Array,
  image: ScanImage,
  crops: CropBox[],
  targetDpi = RECOGNITION_DPI,
): Promise<{ png: Buffer; bands: { top: number; bottom: number }[] }> {
  const gap = Math.round(image.dpi / 6);
  const width = Math.max(...crops.map((crop) => crop.width)) + gap * 2;
  const bands: { top: number; bottom: number }[] = [];
  let y = gap;
  for (const crop of crops) {
    bands.push({ top: y, bottom: y + crop.height });
    y += crop.height + gap;
  }
  const strip = new Uint8Array(width * y).fill(255);
  crops.forEach((crop, index) => {
    for (let row = 0; row < crop.height; row++) {
      const from = (crop.top + row) * image.width + crop.left;
      const to = (bands[index]!.top + row) * width + gap;
      // Paper-light pixels (noise, what is left of a seal) become paper: the engine binarises no worse for it.
      for (let x = 0; x < crop.width; x++) strip[to + x] = pixels[from + x]! >= PAPER_LIGHT ? 255 : pixels[from + x]!;
    }
  });
  const scale = Math.max(1, targetDpi / image.dpi);
  const png = await sharp(strip, { raw: { width, height: y, channels: 1 } })
    .resize(Math.round(width * scale), Math.round(y * scale), { kernel: 'cubic' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, bands: bands.map((band) => ({ top: band.top * scale, bottom: band.bottom * scale })) };
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

/** Reads every crop in one engine call; each crop's words are those whose middle lies in its band. */
async function readCrops(pixels: Uint8Array, image: ScanImage, crops: CropBox[], digits: boolean): Promise<CellReading[]> {
  if (crops.length === 0) return [];
  const { png, bands } = await stripOf(pixels, image, crops);
  const words = await recogniseWords(
    png,
    digits ? { language: 'eng', psm: 6, whitelist: '0123456789.-' } : { language: 'chi_sim', psm: 6 },
  );
  return bands.map((band) => {
    const inBand = words.filter((word) => word.top + word.height / 2 >= band.top && word.top + word.height / 2 <= band.bottom);
    const confidence = inBand.length === 0 ? 0 : Math.min(...inBand.map((word) => word.confidence));
    return { text: joinWords(inBand), confidence };
  });
}

/** Whether a Chinese-pass reading looks like a figure, so the digit pass should read it again. */
const looksLikeFigure = (text: string) => FIGURE_TEXT.test(text.replace(/\s/g, '')) || (text.length <= 12 && !/[\u3400-\u9fff]/.test(text));

/** One or two characters that are no template label: more likely a misread figure than text. */
const isStrayShortText = (text: string) => text.replace(/\s/g, '').length <= 2 && snapLabel(text) === null;

/** A figure as the passes are compared: separators, ruling residue and stray marks dropped. */
const normalFigure = (text: string) => text.replace(/[\s,，|。'"`‘’“”]/g, '').replace(/[—－]/g, '-');

/** Confidence of a figure two of three readings agree on (after the first two passes disagreed). */
const MAJORITY_CONFIDENCE = 75;
/** A reading of the cell alone this sure is taken where the strip's digit pass found nothing ... */
const SURE_ALONE_CONFIDENCE = 85;
/** ... with a confidence just above the reporting threshold: one reading, not two agreeing. */
const LONE_READING_CONFIDENCE = 65;
/** At most this many cells of a page are read once more on their own (one engine call each). */
const MAX_RECHECKS_PER_PAGE = 40;

interface SettledFigure {
  reading: CellReading;
  alternatives?: string[];
}

/** A figure both strip passes read alike: settled. Otherwise null: it needs a reading of its own. */
function settleByAgreement(chinese: CellReading, digit: CellReading): SettledFigure | null {
  const text = normalFigure(digit.text);
  // Two passes with different models reading the same figure is stronger evidence than either's own score.
  if (text !== '' && text === normalFigure(chinese.text))
    return { reading: { text, confidence: Math.max(chinese.confidence, digit.confidence, AGREEMENT_CONFIDENCE) } };
  return null;
}

/**
 * A disputed figure (the passes disagree, or read nothing where there is ink) settled by a third reading of the
 * cell alone: two of three agreeing win; otherwise the digit pass's reading stands with a confidence low enough
 * to be reported. The readings are kept as alternatives.
 */
function settleByMajority(chinese: CellReading, digit: CellReading, alone: CellReading): SettledFigure {
  const [c, d, a] = [normalFigure(chinese.text), normalFigure(digit.text), normalFigure(alone.text)];
  const alternatives = [...new Set([d, a, c].filter((text) => text !== ''))];
  if (a !== '' && (a === d || a === c)) return { reading: { text: a, confidence: MAJORITY_CONFIDENCE }, alternatives };
  // The strip's digit pass saw nothing and the cell alone reads surely: the usual lone "1" the strip loses.
  if (d === '' && a !== '' && alone.confidence >= SURE_ALONE_CONFIDENCE)
    return { reading: { text: a, confidence: LONE_READING_CONFIDENCE }, alternatives };
  return { reading: { text: d || a, confidence: Math.min(DISAGREEMENT_CONFIDENCE, digit.confidence) }, alternatives };
}

/** Reads one crop on its own as a single line of digits (tesseract keeps a lone "1" it drops in a strip). */
async function readCropAlone(pixels: Uint8Array, image: ScanImage, crop: CropBox): Promise<CellReading> {
  // Twice the strip's resolution: a glyph alone, small, is what tesseract most often takes for noise.
  const { png } = await stripOf(pixels, image, [crop], RECOGNITION_DPI * 2);
  let words = await recogniseWords(png, { language: 'eng', psm: 7, whitelist: '0123456789.-' });
  // A lone thin "1" can pass for noise to the line finder; as a single character it is read.
  if (words.length === 0) words = await recogniseWords(png, { language: 'eng', psm: 10, whitelist: '0123456789' });
  return { text: joinWords(words), confidence: words.length === 0 ? 0 : Math.min(...words.map((word) => word.confidence)) };
}

/** Settles every figure crop: by agreement of the strip passes, else by a reading of the cell alone. */
async function settleFigures(
  pixels: Uint8Array,
  image: ScanImage,
  crops: Crop[],
  chinese: CellReading[],
  digits: CellReading[],
): Promise<SettledFigure[]> {
  const settled: SettledFigure[] = [];
  let rechecks = 0;
  for (const [index, crop] of crops.entries()) {
    const agreed = settleByAgreement(chinese[index]!, digits[index]!);
    if (agreed) settled.push(agreed);
    else if (rechecks++ < MAX_RECHECKS_PER_PAGE)
      settled.push(settleByMajority(chinese[index]!, digits[index]!, await readCropAlone(pixels, image, crop)));
    else settled.push(settleByMajority(chinese[index]!, digits[index]!, { text: '', confidence: 0 }));
  }
  return settled;
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

/**
 * Reads the page's figure-like words again with the digit-only pass, in one engine call: an unruled table's figures
 * sit in running lines, where the Chinese pass takes 17 for "IT" or "7". Where the two passes disagree the word is
 * read once more alone and two of three readings win, as for table cells; with no majority the Chinese reading stays.
 */
async function rereadFigures(pixels: Uint8Array, image: ScanImage, words: OcrWord[]): Promise<OcrWord[]> {
  const candidates = words.filter((word) => mayBeFigure(word.text));
  if (candidates.length === 0) return words;
  const crops = candidates.map((word) => {
    const left = Math.max(0, word.left - 2);
    const top = Math.max(0, word.top - 2);
    const width = Math.min(image.width, word.left + word.width + 3) - left;
    const height = Math.min(image.height, word.top + word.height + 3) - top;
    return { left, top, width, height };
  });
  const digits = await readCrops(pixels, image, crops, true);
  const reread = new Map<OcrWord, string>();
  let rechecks = 0;
  for (const [index, word] of candidates.entries()) {
    const [chinese, digit] = [normalFigure(word.text), normalFigure(digits[index]!.text)];
    if (chinese === digit || !FIGURE_TEXT.test(digit) || rechecks >= MAX_RECHECKS_PER_PAGE) continue;
    rechecks++;
    const alone = normalFigure((await readCropAlone(pixels, image, crops[index]!)).text);
    if (alone === digit) reread.set(word, digit);
  }
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
  const chinese = await readCrops(pixels, image, present, false);
  // A figure the Chinese pass took for a character or two (1 as 工) is read again too; template labels are not.
  const figureCrops = present.filter((_, index) => looksLikeFigure(chinese[index]!.text) || isStrayShortText(chinese[index]!.text));
  const digits = await readCrops(pixels, image, figureCrops, true);
  const readings = new Map<GridCell, OcrReading & { text: string }>();
  const box = (cell: GridCell) => ({ page: pageNumber, ...boxInPoints(cell.box, image.dpi) });
  for (const cell of cells) readings.set(cell, { text: '', confidence: 100, box: box(cell), pass: 'blank' });
  present.forEach((crop, index) => {
    const reading = chinese[index]!;
    const snapped = snapLabel(reading.text);
    readings.set(crop.cell, {
      text: snapped ?? reading.text,
      confidence: reading.confidence,
      box: box(crop.cell),
      pass: 'text',
      ...(snapped && snapped !== reading.text ? { raw: reading.text } : {}),
    });
  });
  const figureChinese = figureCrops.map((crop) => chinese[present.indexOf(crop)]!);
  const settled = await settleFigures(pixels, image, figureCrops, figureChinese, digits);
  figureCrops.forEach((crop, index) => {
    const { reading, alternatives } = settled[index]!;
    readings.set(crop.cell, {
      text: reading.text,
      confidence: reading.confidence,
      box: box(crop.cell),
      pass: 'digits',
      ...(alternatives ? { alternatives } : {}),
    });
  });
  const tables = grids.map((grid) => ({ block: toTableBlock(grid, readings) as LineBlock | TableBlock, top: grid.box.top }));
  const lines = options.linesToo ? await readLines(pixels, image, grids) : [];
  return [...tables, ...lines.map(({ line, top }) => ({ block: line as LineBlock | TableBlock, top }))]
    .sort((a, b) => a.top - b.top)
    .map(({ block }) => block);
}
