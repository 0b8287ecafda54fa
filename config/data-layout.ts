/**
 * Where runtime output lives under the data directory. Everything is keyed by content hash, so writing the
 * same input twice is a no-op and a stage can run again from the previous stage's output. (What a crawl remembers
 * for the next one is kept in the warehouse: load/crawl-states.ts.)
 */
import path from 'node:path';

export interface DataLayout {
  rawDir: string;
  extractedDir: string;
  parsedDir: string;
}

export function dataLayout(dataDir: string): DataLayout {
  return {
    rawDir: path.join(dataDir, 'raw'),
    extractedDir: path.join(dataDir, 'extracted'),
    parsedDir: path.join(dataDir, 'parsed'),
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
