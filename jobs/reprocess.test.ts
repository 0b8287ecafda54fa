/**
 * Re-processing over the archive: after a run over the demo portals, the portals are shut down and `parse` runs again
 * over data/extracted and DuckDB as a new run. Nothing is downloaded, every document goes through parse and load
 * again, and no row is duplicated.
 */
import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Config } from '../config/config.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { runReadOnlySql } from '../load/index.ts';
import { startDemoPortals } from '../simulator/index.ts';
import { enqueueRun, startWorkers, type Pipeline } from './pipeline.ts';
import { enqueueReprocess } from './reprocess.ts';
import { openTestPipeline, type TestPipeline } from './test-support.ts';

let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('reprocess', { allowPrivateNetworks: true });
  ({ dir, config, pipeline } = fixture);
});

after(() => fixture?.close());

const count = async (sql: string) => Number((await runReadOnlySql(config.duckdbPath, sql)).rows[0]![0]);

test('reprocess runs parse (or extract) and load again over the archive, downloading nothing', async () => {
  const signal = AbortSignal.timeout(180_000);
  const workers = startWorkers(pipeline, { concurrency: 2 });
  let splitUrl: string;
  try {
    const demo = await startDemoPortals();
    try {
      // One portal keeps the test short: the one with the report published over two pages.
      const split = demo.planted.find((report) => report.partUrls.length > 0)!;
      splitUrl = split.detailUrl;
      const crawlRun = await enqueueRun(pipeline, [demo.portals.find((portal) => portal.id === split.portalId)!.source]);
      await pipeline.tracker.waitUntilRecorded(crawlRun, { signal });
    } finally {
      await demo.close(); // from here on, any download would fail
    }
    const documents = await count('select count(*) from documents');
    const reports = await count('select count(*) from reports');
    const cells = await count('select count(*) from report_cells');
    assert.ok(documents > 0);

    const { runId, documents: queued } = await enqueueReprocess(pipeline, 'parse');
    assert.equal(queued, documents);
    const state = await pipeline.tracker.waitUntilRecorded(runId, { signal });
    assert.equal(state.counts['parse:completed'], documents);
    assert.equal(state.counts['load:completed'], documents);
    assert.equal(state.counts['fetch:completed'] ?? 0, 0);
    assert.equal(await count('select count(*) from reports'), reports);
    assert.equal(await count('select count(*) from report_cells'), cells);
    assert.equal(await count(`select count(distinct sha256) from document_sightings where run_id = '${runId}'`), documents);
    assert.equal(await count(`select count(*) from crawl_runs where run_id = '${runId}'`), 1);

    // extract again from the archive: the article over two pages is read from both of its archived parts.
    await rm(path.join(dir, 'extracted'), { recursive: true, force: true });
    const again = await enqueueReprocess(pipeline, 'extract');
    const extractState = await pipeline.tracker.waitUntilRecorded(again.runId, { signal });
    assert.equal(extractState.counts['extract:completed'], documents);
    assert.equal(await count('select count(*) from report_cells'), cells);
    const [sha256] = (await runReadOnlySql(config.duckdbPath, `select sha256 from document_sightings where url = '${splitUrl}' limit 1`))
      .rows[0]!;
    const [file] = (await readdir(path.join(dir, 'extracted'))).filter((name) => name.startsWith(String(sha256)));
    const extracted = JSON.parse(await readFile(path.join(dir, 'extracted', file!), 'utf8')) as ExtractedDocument;
    assert.deepEqual(
      extracted.pages.map((page) => page.number),
      [1, 2],
      'both parts, joined',
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
});
