/**
 * Where runtime output lives under the data directory. Everything is keyed by content hash, so writing the
 * same input twice is a no-op and a stage can run again from the previous stage's output.
 */
import path from 'node:path';

export interface DataLayout {
  rawDir: string;
  extractedDir: string;
  parsedDir: string;
  /** Per-source crawl state (validators and links of each page) and the disappearances and returns each run noticed. */
  crawlStateDir: string;
}

export function dataLayout(dataDir: string): DataLayout {
  return {
    rawDir: path.join(dataDir, 'raw'),
    extractedDir: path.join(dataDir, 'extracted'),
    parsedDir: path.join(dataDir, 'parsed'),
    crawlStateDir: path.join(dataDir, 'crawl-state'),
  };
}

/** data/raw/<sha256> */
export function rawPath(layout: DataLayout, sha256: string): string {
  return path.join(layout.rawDir, sha256);
}

/** data/extracted/<sha256>.<extractorVersion>.json */
export function extractedPath(layout: DataLayout, sha256: string, extractorVersion: string): string {
  return path.join(layout.extractedDir, `${sha256}.${extractorVersion}.json`);
}

/** data/parsed/<sha256>.<parserVersion>.json */
export function parsedPath(layout: DataLayout, sha256: string, parserVersion: string): string {
  return path.join(layout.parsedDir, `${sha256}.${parserVersion}.json`);
}

/** A source id as a file name: ids are free text, a file name must not climb out of its directory. */
function fileNameOf(id: string): string {
  return encodeURIComponent(id).replace(/^\./, '%2E');
}

/** data/crawl-state/<sourceId>.json: what the source's last crawl saw, for the next (incremental) one. */
export function crawlStatePath(layout: DataLayout, sourceId: string): string {
  return path.join(layout.crawlStateDir, `${fileNameOf(sourceId)}.json`);
}

/** data/crawl-state/run-start/<runId>/: where each source's crawl started from in the run (jobs/run-start.ts). */
export function runStartsDir(layout: DataLayout, runId: string): string {
  return path.join(layout.crawlStateDir, 'run-start', fileNameOf(runId));
}

/** data/crawl-state/run-start/<runId>/<sourceId>.json */
export function runStartPath(layout: DataLayout, runId: string, sourceId: string): string {
  return path.join(runStartsDir(layout, runId), `${fileNameOf(sourceId)}.json`);
}

/** data/crawl-state/checked/<sourceId>.json: when each of the source's documents was last sent to fetch. */
export function documentChecksPath(layout: DataLayout, sourceId: string): string {
  return path.join(layout.crawlStateDir, 'checked', `${fileNameOf(sourceId)}.json`);
}

/** data/crawl-state/disappeared/<runId>/<sourceId>.json: documents the run's crawl of the source no longer found. */
export function disappearancesPath(layout: DataLayout, runId: string, sourceId: string): string {
  return path.join(layout.crawlStateDir, 'disappeared', fileNameOf(runId), `${fileNameOf(sourceId)}.json`);
}

/** data/crawl-state/reappeared/<runId>/<sourceId>.json: documents the run's crawl found that the source's previous crawl did not know. */
export function reappearancesPath(layout: DataLayout, runId: string, sourceId: string): string {
  return path.join(layout.crawlStateDir, 'reappeared', fileNameOf(runId), `${fileNameOf(sourceId)}.json`);
}

/** data/crawl-state/sources/<runId>/<sourceId>.json: the source as the run's crawl job was given it. */
export function runSourcePath(layout: DataLayout, runId: string, sourceId: string): string {
  return path.join(layout.crawlStateDir, 'sources', fileNameOf(runId), `${fileNameOf(sourceId)}.json`);
}
