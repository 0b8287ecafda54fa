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
const ROUNDS = 7;
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

function benchFiles(): string[] {
  const corpus = process.env.YANGGUANG_CORPUS ?? path.join(repoRoot, '../shared/corpus');
  return [
    ...pdfsIn(path.join(repoRoot, 'simulator/pdfs')),
    path.join(repoRoot, 'extract/fixtures/report.pdf'),
    ...pdfsIn(path.join(corpus, 'real')),
  ];
}

interface BenchFile {
  file: string;
  bytes: Uint8Array;
  pages: number;
}

/**
 * Pages per second of the extractor and of `pdftotext -layout`, file by file in turn, so that the load other
 * processes put on the machine falls on both alike. The extractor is warm: one untimed round first (the
 * engine loads, and V8 tiers the wasm up from its baseline compiler).
 */
async function rates(files: BenchFile[]): Promise<{ extractor: number; pdftotext: number }> {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const { bytes } of files) await extractPdf(bytes, 'warm-up', { ocr: false });
  let extractorSeconds = 0;
  let pdftotextSeconds = 0;
  let pages = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const { file, bytes, pages: count } of files) {
      extractorSeconds += (await timed(() => extractPdf(bytes, 'bench', { ocr: false }))).seconds;
      pdftotextSeconds += (
        await timed(async () => execFileSync('pdftotext', ['-layout', file, '-'], { stdio: ['ignore', 'pipe', 'ignore'] }))
      ).seconds;
      pages += count;
    }
  }
  return { extractor: perSecond(pages, extractorSeconds), pdftotext: perSecond(pages, pdftotextSeconds) };
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

/** `bench pdf: pages_per_s=… pdftotext_pages_per_s=… ratio=… peak_rss_mb=…` */
export async function bench(): Promise<BenchFields> {
  const files = await Promise.all(
    benchFiles().map(async (file) => {
      const bytes = new Uint8Array(readFileSync(file));
      return { file, bytes, pages: (await extractPdf(bytes, 'count', { ocr: false })).pages.length };
    }),
  );
  const { extractor, pdftotext } = await rates(files);
  return { pages_per_s: extractor, pdftotext_pages_per_s: pdftotext, ratio: extractor / pdftotext, peak_rss_mb: peakRssMb(files) };
}
