/**
 * Loads pdf-parse, and the pdf.js worker code it runs on the main thread, with Node's source-map support
 * switched off. tsx switches it on for the whole process, and Node then parses every source map a module
 * names: pdf.js ships 7.6 MB of them (pdf.mjs.map, pdf.worker.mjs.map), which became ~300 MB of resident
 * memory for the life of an extract worker — most of the PDF extractor's peak RSS. Stack traces inside pdf.js
 * then point into its bundled .mjs files instead of its original sources, which nobody here reads anyway.
 *
 * pdf.js's legacy build also carries core-js, which on Node 20 replaces the engine's own Array.prototype.push
 * with a JavaScript one for the whole process: every push, pdf.js's own and ours, then ran several times slower
 * (a tenth of the PDF extractor's time went to it). The engine's push is put back; it already behaves as the
 * specification asks for every array pdf.js makes.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

type PdfParseModule = typeof import('pdf-parse');

let loading: Promise<PdfParseModule> | null = null;

/** The pdfjs-dist copy pdf-parse itself resolves (a second copy would need its own worker). */
export function resolvePdfjsFile(relativePath: string): string {
  const pdfParseEntry = createRequire(import.meta.url).resolve('pdf-parse');
  return createRequire(pdfParseEntry).resolve(`pdfjs-dist/${relativePath}`);
}

async function importWithoutSourceMaps(): Promise<PdfParseModule> {
  const wasEnabled = process.sourceMapsEnabled;
  const enginePush = Array.prototype.push;
  process.setSourceMapsEnabled(false);
  try {
    const pdfParse = await import('pdf-parse');
    // pdf.js in Node runs its "worker" in-thread, importing it on the first document unless this global
    // already holds it (pdf.js's documented hook); importing it here keeps its source map unread too.
    const worker: unknown = await import(pathToFileURL(resolvePdfjsFile('legacy/build/pdf.worker.mjs')).href);
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = worker;
    return pdfParse;
  } finally {
    process.setSourceMapsEnabled(wasEnabled);
    restoreEnginePush(enginePush);
  }
}

/** Puts the engine's Array.prototype.push back where a polyfill replaced it (as a plain method, like the original). */
function restoreEnginePush(enginePush: typeof Array.prototype.push): void {
  if (Array.prototype.push === enginePush) return;
  Object.defineProperty(Array.prototype, 'push', { value: enginePush, writable: true, enumerable: false, configurable: true });
}

/** pdf-parse's module, loaded once per process (see the file comment for why it is loaded this way). */
export function loadPdfParse(): Promise<PdfParseModule> {
  loading ??= importWithoutSourceMaps();
  return loading;
}
