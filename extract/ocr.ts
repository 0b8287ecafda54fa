/**
 * OCR of PDF pages without a text layer, fully offline: PDFium renders the page to a grayscale image,
 * tesseract.js with the bundled chi_sim model (@tesseract.js-data/chi_sim) reads it; recognised words become
 * lines through the same line builder as PDF text, so table cells come out TAB-separated.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { createWorker, type Worker } from 'tesseract.js';
import { NeedsOcrError } from './errors.ts';
import { buildLines, type PositionedText } from './pdf-lines.ts';
import { encodePgm, renderPdfPages } from './pdfium-render.ts';
import type { LineBlock } from './types.ts';

/** 200 dpi: enough for 9–10 pt CJK, ~4× faster to recognise than 300. */
const RENDER_DPI = 200;
const CHI_SIM_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json')), '4.0.0_best_int');

interface OcrWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

/** Word boxes (pixels at `pixelsPerPoint`) → positioned text in points, then lines. CJK words need no space between them. */
function wordsToLines(words: OcrWord[], pixelsPerPoint: number): LineBlock[] {
  const scale = 1 / pixelsPerPoint;
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
  const results = new Map<number, LineBlock[]>();
  let worker: Worker | null = null;
  try {
    await renderPdfPages(bytes, pageNumbers, RENDER_DPI, async (pageNumber, image) => {
      worker ??= await startWorker();
      const { data } = await worker.recognize(encodePgm(image), {}, { blocks: true });
      const words = (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines.flatMap((line) => line.words)));
      results.set(pageNumber, wordsToLines(words, image.scale));
    });
  } catch (error) {
    if (error instanceof NeedsOcrError) throw error;
    throw new NeedsOcrError(`OCR cannot run (rendering by PDFium or recognition): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    // Assigned inside the callback, which TypeScript's narrowing does not see.
    await (worker as Worker | null)?.terminate();
  }
  return results;
}

/** tesseract.js with the bundled model, started only once a page is rendered (a PDF PDFium cannot open needs none). */
function startWorker(): Promise<Worker> {
  return createWorker('chi_sim', 1, { langPath: CHI_SIM_DIR, gzip: true, cacheMethod: 'none' }).catch((error: unknown) =>
    Promise.reject(new NeedsOcrError(`tesseract.js could not start offline: ${String(error)}`, { cause: error })),
  );
}
