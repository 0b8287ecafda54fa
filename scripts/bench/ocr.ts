/**
 * `bench ocr`: scanned reports through the extract stage as the pipeline runs it — the worker-thread pool of
 * jobs/extract-pool.ts (one thread per core, up to 2), each thread reading table cells with its own PaddleOCR
 * recogniser (onnxruntime, one intra-op thread) and the running text with tesseract child processes. The scans
 * are made by a child process (_ocr-scans.ts) from the simulator's planted reports, so the bench needs nothing
 * beside the repository, and this process holds what an extract worker holds. Peak RSS is the whole process
 * tree's (this process with its threads, and the tesseract processes), sampled every 100 ms.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExtractPool } from '../../jobs/extract-pool.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const SCANS_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '_ocr-scans.ts');
const PAGE_SIZE = 4096;
const SAMPLE_MS = 100;

/**
 * A process's own resident bytes. A child forked by a thread but not yet exec'd (tesseract's, for an instant)
 * is a copy-on-write image of this process: its RSS counts pages this process already counts, so only its
 * private pages are its own.
 */
function residentBytes(pid: number, statRss: number): number {
  const forkOfThis = pid !== process.pid && readlinkSync(`/proc/${pid}/exe`) === readlinkSync('/proc/self/exe');
  if (!forkOfThis) return statRss * PAGE_SIZE;
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kilobytes = [...rollup.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  return kilobytes * 1024;
}

/** RSS in bytes of a process and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  const statRss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const parent = Number(fields[1]);
      statRss.set(pid, Number(fields[21]));
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // the process ended while being read
    }
  }
  const own = (pid: number): number => {
    try {
      return residentBytes(pid, statRss.get(pid) ?? 0);
    } catch {
      return 0; // the process ended while being read
    }
  };
  const total = (pid: number): number => own(pid) + (children.get(pid) ?? []).reduce((sum, child) => sum + total(child), 0);
  return total(root);
}

/** Samples the process tree's RSS until stopped; returns the peak in MB. */
function sampleTreeRss(): () => number {
  let peak = treeRssBytes(process.pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(process.pid));
  }, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    return peak / 1024 / 1024;
  };
}

/** The scans, made by a child process into a temporary directory. */
function makeScans(): Uint8Array[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-bench-ocr-'));
  try {
    execFileSync(process.execPath, ['--import', 'tsx', SCANS_SCRIPT, dir], { stdio: 'inherit' });
    const files = readdirSync(dir).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    return files.map((file) => new Uint8Array(readFileSync(path.join(dir, file))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ocrCells = (document: ExtractedDocument) =>
  document.pages
    .flatMap((page) => page.blocks)
    .reduce((sum, block) => sum + (block.kind === 'table' ? block.rows.flat().filter((cell) => cell.ocr).length : 0), 0);

/** `bench ocr: pages_per_s=… pages_per_s_per_core=… cells_per_s=… peak_rss_mb=…` */
export async function bench(): Promise<BenchFields> {
  const scans = makeScans();
  const pool = new ExtractPool();
  try {
    const threads = Math.min(2, scans.length);
    const stopSampling = sampleTreeRss();
    const { result: documents, seconds } = await timed(() =>
      Promise.all(
        scans.map((bytes, index) =>
          pool.extract(bytes, {
            sha256: `scan-${index}`,
            contentType: 'application/pdf',
            url: `bench://scan-${index}`,
            maxBytes: 100_000_000,
          }),
        ),
      ),
    );
    const peakRssMb = stopSampling();
    const pages = documents.reduce((sum, document) => sum + document.pages.length, 0);
    const cells = documents.reduce((sum, document) => sum + ocrCells(document), 0);
    return {
      documents: documents.length,
      pages,
      threads,
      pages_per_s: perSecond(pages, seconds),
      pages_per_s_per_core: perSecond(pages, seconds) / threads,
      cells_per_s: perSecond(cells, seconds),
      peak_rss_mb: peakRssMb,
    };
  } finally {
    await pool.close();
  }
}
