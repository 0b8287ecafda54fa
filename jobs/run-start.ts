/**
 * What a source's crawl starts from in a run — the previous crawl's state and the documents' last checks — taken
 * once, at the run's first attempt, and kept for the run: a crawl job retried after it had already written the new
 * state must not mistake its own first attempt for the previous night (it would find everything unchanged and skip
 * what had changed).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { crawlStatePath, documentChecksPath, runStartPath, runStartsDir, type DataLayout } from '../config/data-layout.ts';
import { readJson, writeJsonAtomic } from '../shared/files.ts';
import { readCrawlState, type SourceCrawlState } from '../crawlers/index.ts';
import type { DocumentChecks } from './recheck-policy.ts';

export interface RunStart {
  previousState: SourceCrawlState | null;
  checks: DocumentChecks;
}

/** The source's starting point in this run: as saved by an earlier attempt, else read now and saved. */
export async function runStart(layout: DataLayout, runId: string, sourceId: string): Promise<RunStart> {
  const file = runStartPath(layout, runId, sourceId);
  if (existsSync(file)) return readJson<RunStart>(file);
  const checksPath = documentChecksPath(layout, sourceId);
  const start: RunStart = {
    previousState: await readCrawlState(crawlStatePath(layout, sourceId)),
    checks: existsSync(checksPath) ? await readJson<DocumentChecks>(checksPath) : {},
  };
  await writeJsonAtomic(file, start);
  return start;
}

/** Drops the run's starting points once its summary is recorded (a re-opened run starts from the newer state). */
export async function forgetRunStarts(layout: DataLayout, runId: string): Promise<void> {
  await rm(runStartsDir(layout, runId), { recursive: true, force: true });
}
