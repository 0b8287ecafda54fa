/**
 * The national job end to end on the national simulator: a catalog of generated portals (real governments, on
 * 127.0.0.1 ports) → `sources discover` records their 年报 columns in DuckDB → a crawl run over the catalog's
 * discovered columns goes through the queues (real Redis, real HTTP, real DuckDB) → every planted report of the
 * newest year is loaded, at the level and in the region the catalog and the document give it (the simulator's report
 * pages are small: a title, the issuer and a two-row table, so the parser keeps them as documents, not as reports).
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runDiscover } from '../cli/discover.ts';
import type { Config } from '../config/config.ts';
import { catalogSources } from '../jobs/catalog-runs.ts';
import { enqueueRun, startWorkers, type Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { readLatestDiscoveries, runReadOnlySql } from '../load/index.ts';
import { scoreDiscoveries, startNationalSimulator, type NationalSimulator } from '../simulator/national/index.ts';

let fixture: TestPipeline;
let config: Config;
let simulator: NationalSimulator;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('national', (dir) => ({ allowPrivateNetworks: true, catalogFile: path.join(dir, 'portals.jsonl') }));
  ({ config, pipeline } = fixture);
  simulator = await startNationalSimulator({ portals: 4, seed: 7 });
  await writeFile(config.catalogFile!, simulator.entries.map((entry) => JSON.stringify(entry)).join('\n'));
});

after(async () => {
  await fixture?.close();
  await simulator?.close();
});

test('discovery records every planted column of the catalog, and nothing else', async () => {
  const lines: string[] = [];
  const summary = await runDiscover(config, {}, (line) => lines.push(line));
  assert.equal(summary.portals, simulator.entries.length);
  assert.match(lines.at(-1)!, /^discover: portals=4 ok=\d+ columns=\d+ /);

  const discoveries = await readLatestDiscoveries(config);
  const score = scoreDiscoveries(simulator.manifest, [...discoveries.values()]);
  assert.equal(score.wrong, 0);
  assert.equal(score.found, score.columns);
  assert.ok(score.columns > 0);

  const again: string[] = [];
  assert.equal(
    (await runDiscover(config, {}, (line) => again.push(line))).ok,
    0,
    'portals found ok are not asked again before their re-check is due',
  );
});

test('a crawl of the catalog loads the newest year of every discovered body, each report at its level', async () => {
  const { sources, undiscovered } = await catalogSources(config, {});
  const reachable = simulator.manifest.filter((portal) => portal.columns.length > 0 && portal.status !== 'browser-only');
  assert.deepEqual(sources.map((source) => source.id).sort(), reachable.map((portal) => portal.sourceId).sort());
  assert.equal(undiscovered.length, simulator.entries.length - sources.length);

  const newest = Math.max(...reachable.flatMap((portal) => portal.reports.map((report) => yearOf(report.title))));
  const workers = startWorkers(pipeline, { concurrency: 2 });
  try {
    const runId = await enqueueRun(pipeline, sources, undefined, { filter: { years: { from: newest, to: newest } } });
    const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(600_000) });
    assert.equal(state.counts['crawl:completed'], sources.length);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }

  const planted = reachable.flatMap((portal) =>
    portal.reports.filter((report) => yearOf(report.title) === newest).map((report) => report.url),
  );
  const loaded = await runReadOnlySql(config.duckdbPath, `select url, level, region_code, source_id from reports where year = ${newest}`);
  assert.deepEqual(loaded.rows.map(([url]) => String(url)).sort(), [...new Set(planted)].sort());
  const levels = new Map(loaded.rows.map(([url, level]) => [String(url), String(level)]));
  for (const portal of reachable) {
    const entry = simulator.entries.find((candidate) => candidate.id === portal.sourceId)!;
    for (const report of portal.reports.filter((candidate) => levels.has(candidate.url))) {
      const column = portal.columns.find((candidate) => candidate.url === report.columnUrl);
      // A department's or township's report is never the government's own, whichever portal lists it.
      if (column?.scope === 'department') assert.equal(levels.get(report.url), 'department', report.title);
      if (column?.scope === 'government') assert.equal(levels.get(report.url), entry.level, report.title);
    }
  }
  for (const [, , regionCode, sourceId] of loaded.rows) {
    const entry = simulator.entries.find((candidate) => candidate.id === sourceId)!;
    assert.ok(String(regionCode).startsWith(entry.regionCode!.replace(/0+$/, '')), `${regionCode} lies within ${entry.regionCode}`);
  }
});

/** The year a report title names: the year reported on. */
function yearOf(title: string): number {
  return Number(/(\d{4})年/.exec(title)![1]);
}
