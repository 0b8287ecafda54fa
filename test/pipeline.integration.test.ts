/**
 * The whole chain against the demo portals: real HTTP servers on 127.0.0.1, real Redis through BullMQ (a unique
 * queue prefix, removed afterwards), a real DuckDB file in a temp dir. The loaded figures must equal the planted ones.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { compareWithPlanted } from '../cli/demo.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { enqueueRun, openPipeline, startWorkers, type Pipeline } from '../jobs/pipeline.ts';
import { deleteKeys } from '../jobs/test-support.ts';
import { runReadOnlySql } from '../load/index.ts';
import { startDemoPortals } from '../simulator/index.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let dir: string;
let config: Config;
let demo: Awaited<ReturnType<typeof startDemoPortals>>;
let pipeline: Pipeline;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-it-'));
  config = loadConfig({
    env: {},
    overrides: { allowPrivateNetworks: true, redisUrl, dataDir: dir, queuePrefix: `yg-test-${process.pid}-${Date.now()}` },
  });
  demo = await startDemoPortals();
  pipeline = await openPipeline(config);
});

after(async () => {
  await Promise.all(Object.values(pipeline.queues).map((queue) => queue.obliterate({ force: true })));
  await pipeline.close();
  await deleteKeys(redisUrl, `${config.queuePrefix}:*`);
  await demo.close();
  await rm(dir, { recursive: true, force: true });
});

test('a run over the demo portals loads exactly the planted reports with the planted figures', async () => {
  const workers = startWorkers(pipeline, { concurrency: 4 });
  try {
    const runId = await enqueueRun(
      pipeline,
      demo.portals.map((portal) => portal.source),
    );
    const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(300_000) });
    assert.equal(state.pending, 0);
    assert.equal(state.counts['crawl:completed'], demo.portals.length);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }

  const check = await compareWithPlanted(config.duckdbPath, demo.planted);
  assert.deepEqual(check.mismatches, []);
  const reports = await runReadOnlySql(config.duckdbPath, 'select issuer, year from latest_reports order by issuer, year');
  const planted = demo.planted.map((report) => `${report.issuer} ${report.year}`).sort();
  assert.deepEqual(reports.rows.map(([issuer, year]) => `${issuer} ${Number(year)}`).sort(), planted);
  const runs = await runReadOnlySql(config.duckdbPath, 'select count(*) from crawl_runs');
  assert.equal(Number(runs.rows[0]![0]), 1);
  const sources = await runReadOnlySql(config.duckdbPath, 'select source_id, name, region_code, level from sources order by source_id');
  const catalog = demo.portals.map(({ source }) => [source.id, source.name, source.regionCode ?? null, source.level ?? null]);
  assert.deepEqual(
    sources.rows,
    catalog.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    'each source as the catalog describes it',
  );
});

test('a report published over two pages is loaded as one document whose figures trace to the page they are on', async () => {
  const split = demo.planted.find((report) => report.partUrls.length > 0)!;
  const parts = await runReadOnlySql(
    config.duckdbPath,
    `select p.part, p.url from document_parts p join document_sightings s using (sha256) where s.url = '${split.detailUrl}' order by p.part`,
  );
  assert.deepEqual(
    parts.rows.map(([part, url]) => [Number(part), url]),
    [
      [1, split.detailUrl],
      [2, split.partUrls[0]],
    ],
  );
  const pages = await runReadOnlySql(
    config.duckdbPath,
    `select c.page, min(c.key), count(*) from report_cells c join latest_reports r using (report_id)
      where r.url = '${split.detailUrl}' and c.page is not null group by c.page order by c.page`,
  );
  // The table cut between the pages is joined on page 1; tables 三 and 四 are on page 2.
  assert.deepEqual(
    pages.rows.map(([page, firstKey]) => [Number(page), String(firstKey).slice(0, 3)]),
    [
      [1, 't2.'],
      [2, 't3.'],
    ],
  );
  const documents = await runReadOnlySql(config.duckdbPath, `select count(*) from document_sightings where url = '${split.partUrls[0]}'`);
  assert.equal(Number(documents.rows[0]![0]), 0, 'the second page is no document of its own');
});
