/**
 * PDF extraction speed against `pdftotext -layout` on the same files in the same run (warm: pdf.js cold start
 * excluded), and the extractor's peak RSS on a 100-page PDF made with pdfunite, measured in a child process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPdf } from '../../extract/index.ts';
import { type BenchFields, perSecond, timed } from './_measure.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = 3;
const RSS_PAGES = 100;

function benchFiles(): string[] {
  const simulator = path.join(repoRoot, 'simulator/pdfs');
  return [...readdirSync(simulator).map((name) => path.join(simulator, name)), path.join(repoRoot, 'extract/fixtures/report.pdf')];
}

async function extractorRate(files: { file: string; bytes: Uint8Array }[]): Promise<number> {
  await extractPdf(files[0]!.bytes, 'warm-up', { ocr: false });
  let pages = 0;
  const { seconds } = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const { bytes } of files) pages += (await extractPdf(bytes, 'bench', { ocr: false })).pages.length;
    }
  });
  return perSecond(pages, seconds);
}

async function pdftotextRate(files: { file: string; pages: number }[]): Promise<number> {
  let pages = 0;
  const { seconds } = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) {
      for (const { file, pages: count } of files) {
        execFileSync('pdftotext', ['-layout', file, '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
        pages += count;
      }
    }
  });
  return perSecond(pages, seconds);
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
    const output = execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/_pdf-rss.ts'), big], { cwd: repoRoot });
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
  const rate = await extractorRate(files);
  const baseline = await pdftotextRate(files);
  return { pages_per_s: rate, pdftotext_pages_per_s: baseline, ratio: rate / baseline, peak_rss_mb: peakRssMb(files) };
}
