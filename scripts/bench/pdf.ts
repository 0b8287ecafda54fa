/**
 * PDF extraction speed against `pdftotext -layout` on the same files in the same run (warm: the engine's
 * start excluded), and the extractor's peak RSS on a 100-page PDF made with pdfunite, measured in a child
 * process. The files: the demo's LibreOffice PDFs (Type 1 CJK fonts), the Chromium-printed fixture (Type 3),
 * and, when the evaluation corpus is beside the repository, its real portal PDFs (CID TrueType fonts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPdf } from '../../extract/index.ts';
import { type BenchFields, perSecond, timed } from './_measure.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = 9;
/** Untimed rounds first: the engine loads, and V8 tiers the wasm up over the first few rounds (a worker runs warm). */
const WARM_UP_ROUNDS = 3;
const RSS_PAGES = 100;

/** PDFs in `dir` (none when it does not exist), in a stable order. */
function pdfsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((name) => path.join(dir, name));
}

/** Where a bench PDF comes from, which says how its fonts are embedded (PDFium's cost is mostly loading them). */
type PdfSource = 'libreoffice' | 'chromium' | 'portal';

function benchFiles(): { file: string; source: PdfSource }[] {
  const corpus = process.env.YANGGUANG_CORPUS ?? path.join(repoRoot, '../shared/corpus');
  return [
    ...pdfsIn(path.join(repoRoot, 'simulator/pdfs')).map((file) => ({ file, source: 'libreoffice' as const })), // Type 1
    { file: path.join(repoRoot, 'extract/fixtures/report.pdf'), source: 'chromium' as const }, // Type 3
    ...pdfsIn(path.join(corpus, 'real')).map((file) => ({ file, source: 'portal' as const })), // CID TrueType
  ];
}

interface BenchFile {
  file: string;
  source: PdfSource;
  bytes: Uint8Array;
  pages: number;
}

interface FileTimes extends BenchFile {
  /** Median seconds of the extractor and of pdftotext on this file. */
  extractor: number;
  pdftotext: number;
}

/** The median of some timings. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Pages per second of the extractor and of `pdftotext -layout`, file by file in turn, so that the load other
 * processes put on the machine falls on both alike, each file's time the median of its rounds (a round another
 * process's burst or a collection pause fell on does not move it). The extractor is warm: untimed rounds first
 * (the engine loads, and V8 tiers the wasm up from its baseline compiler).
 */
async function timeFiles(files: BenchFile[]): Promise<FileTimes[]> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const { bytes } of files) await extractPdf(bytes, 'warm-up', { ocr: false });
  const extractorRounds = files.map((): number[] => []);
  const pdftotextRounds = files.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, { file, bytes }] of files.entries()) {
      extractorRounds[index]!.push((await timed(() => extractPdf(bytes, 'bench', { ocr: false }))).seconds);
      pdftotextRounds[index]!.push(
        (await timed(async () => execFileSync('pdftotext', ['-layout', file, '-'], { stdio: ['ignore', 'pipe', 'ignore'] }))).seconds,
      );
    }
  }
  return files.map((file, index) => ({ ...file, extractor: median(extractorRounds[index]!), pdftotext: median(pdftotextRounds[index]!) }));
}

/** Pages per second of both over some files' median times. */
function rates(times: FileTimes[]): { extractor: number; pdftotext: number } {
  const pages = times.reduce((sum, file) => sum + file.pages, 0);
  const seconds = (pick: (file: FileTimes) => number) => times.reduce((sum, file) => sum + pick(file), 0);
  return {
    extractor: perSecond(
      pages,
      seconds((file) => file.extractor),
    ),
    pdftotext: perSecond(
      pages,
      seconds((file) => file.pdftotext),
    ),
  };
}

/** `ratio_<source>` for each source present: PDFium's speed depends on the fonts its producer embeds. */
function ratiosBySource(times: FileTimes[]): BenchFields {
  const sources = [...new Set(times.map((file) => file.source))];
  return Object.fromEntries(
    sources.map((source) => {
      const { extractor, pdftotext } = rates(times.filter((file) => file.source === source));
      return [`ratio_${source}`, extractor / pdftotext];
    }),
  );
}

/** Peak RSS (MB) of a child process extracting a 100-page PDF unified from the bench files. */
function peakRssMb(files: { file: string; pages: number }[]): number {
  const workDir = mkdtempSync(path.join(tmpdir(), 'yangguang-bench-pdf-'));
  try {
    const parts: string[] = [];
    for (let pages = 0, index = 0; pages < RSS_PAGES; index++) {
      const part = files[index % files.length]!;
      parts.push(part.file);
      pages += part.pages;
    }
    const big = path.join(workDir, 'big.pdf');
    execFileSync('pdfunite', [...parts, big]);
    const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/_pdf-rss.ts'), big], {
      cwd: repoRoot,
    });
    return (JSON.parse(output.toString()) as { peakRssMb: number }).peakRssMb;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** `bench pdf: pages_per_s=… pdftotext_pages_per_s=… ratio=… ratio_libreoffice=… ratio_chromium=… [ratio_portal=…] peak_rss_mb=…` */
export async function bench(): Promise<BenchFields> {
  const files = await Promise.all(
    benchFiles().map(async ({ file, source }) => {
      const bytes = new Uint8Array(readFileSync(file));
      return { file, source, bytes, pages: (await extractPdf(bytes, 'count', { ocr: false })).pages.length };
    }),
  );
  const times = await timeFiles(files);
  const { extractor, pdftotext } = rates(times);
  return {
    pages_per_s: extractor,
    pdftotext_pages_per_s: pdftotext,
    ratio: extractor / pdftotext,
    ...ratiosBySource(times),
    peak_rss_mb: peakRssMb(files),
  };
}
