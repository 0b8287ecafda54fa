/**
 * `bench ocr`: scanned reports through the extract stage as the pipeline runs it — the worker-thread pool of
 * jobs/extract-pool.ts (one thread per core, up to 2), each thread reading table cells with its own PaddleOCR
 * recogniser (onnxruntime, one intra-op thread) and the running text with tesseract child processes. The scans
 * are made here from the simulator's planted reports (clean 150 dpi and degraded 120 dpi image-only PDFs; needs
 * chromium), so the bench needs nothing beside the repository. Peak RSS is the whole process tree's (this
 * process with its threads, and the tesseract processes), sampled every 100 ms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ExtractPool } from '../../jobs/extract-pool.ts';
import { loadPlantedData } from '../../simulator/planted-data.ts';
import { renderStandaloneReport } from '../../simulator/report-html.ts';
import { scanPagesOf, scanPdf, type ScanVariant } from '../../simulator/scan-render.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const REPORT_IDS = ['huaian-2024', 'longde-2020', 'shanghai-office-2019'];
const VARIANTS: ScanVariant[] = ['clean', 'degraded'];
const PAGE_SIZE = 4096;
const SAMPLE_MS = 100;

/** RSS in bytes of a process and all its descendants, from /proc. */
function treeRssBytes(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const parent = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * PAGE_SIZE);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
    } catch {
      // the process ended while being read
    }
  }
  const total = (pid: number): number => (rss.get(pid) ?? 0) + (children.get(pid) ?? []).reduce((sum, child) => sum + total(child), 0);
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

async function makeScans(): Promise<Uint8Array[]> {
  const reports = loadPlantedData().reports.filter((report) => REPORT_IDS.includes(report.id));
  const scans: Uint8Array[] = [];
  for (const variant of VARIANTS) {
    for (const [index, report] of reports.entries())
      scans.push(await scanPdf(await scanPagesOf(renderStandaloneReport(report), variant, index + 1, report.issuer), variant));
  }
  return scans;
}

const ocrCells = (document: ExtractedDocument) =>
  document.pages
    .flatMap((page) => page.blocks)
    .reduce((sum, block) => sum + (block.kind === 'table' ? block.rows.flat().filter((cell) => cell.ocr).length : 0), 0);

/** `bench ocr: pages_per_s=… pages_per_s_per_core=… cells_per_s=… peak_rss_mb=…` */
export async function bench(): Promise<BenchFields> {
  const scans = await makeScans();
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
