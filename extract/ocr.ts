/**
 * OCR of PDF pages without a text layer, fully offline: pdftoppm (poppler-utils) renders the page to PNG,
 * tesseract.js with the bundled chi_sim model (@tesseract.js-data/chi_sim) reads it; recognised words become
 * lines through the same line builder as PDF text, so table cells come out TAB-separated.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createWorker } from 'tesseract.js';
import { NeedsOcrError } from './errors.ts';
import { buildLines, type PositionedText } from './pdf-lines.ts';
import type { LineBlock } from './types.ts';

const run = promisify(execFile);
/** 200 dpi: enough for 9–10 pt CJK, ~4× faster to recognise than 300. */
const RENDER_DPI = 200;
const POINTS_PER_INCH = 72;
const CHI_SIM_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json')), '4.0.0_best_int');

interface OcrWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/** Renders one page to PNG with pdftoppm; NeedsOcrError when poppler-utils is missing. */
async function renderPage(pdfFile: string, pageNumber: number, outPrefix: string): Promise<Buffer> {
  try {
    await run('pdftoppm', ['-f', String(pageNumber), '-l', String(pageNumber), '-r', String(RENDER_DPI), '-gray', '-png', '-singlefile', pdfFile, outPrefix]);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new NeedsOcrError(missing ? 'page needs OCR but pdftoppm (poppler-utils) is not installed' : `pdftoppm cannot render page ${pageNumber}: ${String(error)}`, { cause: error });
  }
  return readFile(`${outPrefix}.png`);
}

/** Word boxes (pixels) → positioned text in points, then lines. CJK words need no space between them. */
function wordsToLines(words: OcrWord[]): LineBlock[] {
  const scale = POINTS_PER_INCH / RENDER_DPI;
  const items: PositionedText[] = words.map((word) => ({
    text: word.text,
    x: word.bbox.x0 * scale,
    baseline: word.bbox.y1 * scale,
    width: (word.bbox.x1 - word.bbox.x0) * scale,
    fontSize: Math.max((word.bbox.y1 - word.bbox.y0) * scale, 1),
  }));
  return buildLines(items).map((line) => ({ ...line, text: line.text.replace(/(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, '') }));
}

/**
 * OCRs the given pages of a PDF (numbers from 1) and returns their lines. Slow (seconds per page): callers cap
 * the page count. Throws NeedsOcrError when rendering or recognition cannot run.
 */
export async function ocrPdfPages(bytes: Uint8Array, pageNumbers: number[]): Promise<Map<number, LineBlock[]>> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'yangguang-ocr-'));
  const results = new Map<number, LineBlock[]>();
  try {
    const pdfFile = path.join(workDir, 'document.pdf');
    await writeFile(pdfFile, bytes);
    const worker = await createWorker('chi_sim', 1, { langPath: CHI_SIM_DIR, gzip: true, cacheMethod: 'none' }).catch((error: unknown) =>
      Promise.reject(new NeedsOcrError(`tesseract.js could not start offline: ${String(error)}`, { cause: error })),
    );
    try {
      for (const pageNumber of pageNumbers) {
        const png = await renderPage(pdfFile, pageNumber, path.join(workDir, `page-${pageNumber}`));
        const { data } = await worker.recognize(png, {}, { blocks: true });
        const words = (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words)));
        results.set(pageNumber, wordsToLines(words));
      }
    } finally {
      await worker.terminate();
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  return results;
}
