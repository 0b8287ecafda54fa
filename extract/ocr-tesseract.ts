/**
 * Debian's native tesseract 5 (tesseract-ocr + tesseract-ocr-chi-sim), run as a child process on a PNG: it reads
 * a scanned page's running text (title, headings, unruled lines) in one call, finding the lines itself; table
 * cells, cut out by the ruling grid, are read by PaddleOCR (ocr-paddle.ts; README, "Scanned reports"). A child
 * process keeps the recognition off the extract thread. One thread per process (OMP_THREAD_LIMIT=1): the extract
 * pool already runs one document per core.
 */
import { spawn } from 'node:child_process';
import { NeedsOcrError, OcrTimeoutError } from './errors.ts';

/** A recognised word: text, box in the image's pixels, confidence 0–100. */
export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  confidence: number;
  /** Tesseract's block/paragraph/line numbers joined: words of one text line share it. */
  lineKey: string;
}

export interface TesseractOptions {
  /** chi_sim for Chinese text (digits and Latin included), eng for the digit-only pass. */
  language: 'chi_sim' | 'eng';
  /** Page segmentation mode: 6 = one uniform block of text, 7 = one line, 10 = one character, 11 = sparse text, 3 = automatic. */
  psm: 3 | 6 | 7 | 10 | 11;
  /** Only these characters may be recognised (the digit pass). */
  whitelist?: string;
}

/** Longest a single recognition may take (a page takes seconds; a machine loaded tenfold, a minute or two). */
const TIMEOUT_MS = 600_000;

/** Runs tesseract on one PNG and returns its words with boxes and confidences. */
export function recogniseWords(png: Buffer, options: TesseractOptions): Promise<OcrWord[]> {
  const args = ['stdin', 'stdout', '-l', options.language, '--psm', String(options.psm)];
  if (options.whitelist) args.push('-c', `tessedit_char_whitelist=${options.whitelist}`);
  // Keep CJK words apart from the spaces tesseract would insert between characters of a line.
  args.push('-c', 'preserve_interword_spaces=1', 'tsv');
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', args, {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ' (install it: apt-get install tesseract-ocr tesseract-ocr-chi-sim)' : '';
      reject(new NeedsOcrError(`tesseract cannot run${hint}: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (signal) reject(new OcrTimeoutError(`tesseract was stopped (${signal}) after ${TIMEOUT_MS / 1000} s`));
      else if (code !== 0)
        reject(new NeedsOcrError(`tesseract failed (exit ${code}): ${Buffer.concat(err).toString().trim().slice(0, 300)}`));
      else resolve(parseTsv(Buffer.concat(out).toString('utf8')));
    });
    child.stdin.on('error', () => undefined); // a crash before reading stdin is reported by 'close'
    child.stdin.end(png);
  });
}

/** Tesseract's TSV: level 5 rows are words (level, page, block, par, line, word, left, top, width, height, conf, text). */
function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  for (const row of tsv.split('\n').slice(1)) {
    const fields = row.split('\t');
    if (fields[0] !== '5' || fields.length < 12) continue;
    const text = fields.slice(11).join('\t').trim();
    if (text === '') continue;
    const [, page, block, paragraph, line, , left, top, width, height, confidence] = fields.map(Number);
    words.push({
      text,
      left: left!,
      top: top!,
      width: width!,
      height: height!,
      confidence: confidence!,
      lineKey: `${page}.${block}.${paragraph}.${line}`,
    });
  }
  return words;
}
