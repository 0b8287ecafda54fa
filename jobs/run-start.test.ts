import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { crawlStatePath, dataLayout, documentChecksPath, runStartsDir, type DataLayout } from '../config/data-layout.ts';
import { writeJsonAtomic } from '../shared/files.ts';
import { CRAWL_STATE_VERSION, type SourceCrawlState } from '../crawlers/index.ts';
import { forgetRunStarts, runStart } from './run-start.ts';

let dir: string;
let layout: DataLayout;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-run-start-'));
  layout = dataLayout(dir);
});
after(async () => rm(dir, { recursive: true, force: true }));

const stateAt = (crawledAt: string): SourceCrawlState => ({ version: CRAWL_STATE_VERSION, sourceId: 'src', crawledAt, pages: {} });

test('a retried crawl in the same run starts from what the first attempt started from, not from what it wrote', async () => {
  await writeJsonAtomic(crawlStatePath(layout, 'src'), stateAt('last night'));
  await writeJsonAtomic(documentChecksPath(layout, 'src'), { 'http://127.0.0.1/a.pdf': '2026-11-30T02:00:00.000Z' });
  const first = await runStart(layout, 'run-1', 'src');
  assert.equal(first.previousState?.crawledAt, 'last night');
  // The first attempt writes the new state and checks, then its worker dies before the fetch jobs are queued.
  await writeJsonAtomic(crawlStatePath(layout, 'src'), stateAt('tonight, first attempt'));
  await writeJsonAtomic(documentChecksPath(layout, 'src'), { 'http://127.0.0.1/a.pdf': '2026-12-01T02:00:00.000Z' });
  assert.deepEqual(await runStart(layout, 'run-1', 'src'), first);
  // The next run starts from tonight's state.
  assert.equal((await runStart(layout, 'run-2', 'src')).previousState?.crawledAt, 'tonight, first attempt');
});

test('a source never crawled starts cold, and a run forgets its starting points once recorded', async () => {
  const start = await runStart(layout, 'run-3', 'new-source');
  assert.deepEqual(start, { previousState: null, checks: {} });
  await forgetRunStarts(layout, 'run-3');
  assert.equal(existsSync(runStartsDir(layout, 'run-3')), false);
});
