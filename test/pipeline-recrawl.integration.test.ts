/**
 * Nightly re-crawls through the whole chain: real demo portals on 127.0.0.1 (logging every request), real Redis
 * through BullMQ (a unique queue prefix, removed afterwards), a real DuckDB file in a temp dir. The tests run in
 * order, each one run of the pipeline over the same portals: cold, unchanged, one report corrected and one
 * withdrawn, one portal emptied, everything listed again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../config/config.ts';
import { enqueueRun, type Pipeline, type RunOptions } from '../jobs/pipeline.ts';
import type { RunCounts } from '../jobs/run-tracker.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { runReadOnlySql } from '../load/index.ts';
import { startDemoPortals, type ColumnItem, type DemoPortals, type ServedRequest } from '../simulator/index.ts';

/** A figure no statutory identity includes, so that the corrected report differs only in it. */
const CORRECTED_KEY = 't2.procurement.projects';

describe('re-crawling the demo portals', () => {
  let fixture: TestPipeline;
  let config: Config;
  let demo: DemoPortals;
  let pipeline: Pipeline;
  const served: ServedRequest[] = [];

  before(async () => {
    fixture = await openTestPipeline('recrawl', { allowPrivateNetworks: true });
    ({ config, pipeline } = fixture);
    demo = await startDemoPortals({ onRequest: (request) => served.push(request) });
    fixture.startWorkers({ concurrency: 4 });
  });

  after(async () => {
    await fixture?.close();
    await demo?.close();
  });

  /** One run over every demo portal, until its summary is in DuckDB: its id, counters and the requests it made. */
  async function run(options: RunOptions = {}): Promise<{ runId: string; counts: RunCounts; requests: ServedRequest[] }> {
    const start = served.length;
    const runId = await enqueueRun(
      pipeline,
      demo.portals.map((portal) => portal.source),
      undefined,
      options,
    );
    const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(300_000) });
    assert.equal(state.pending, 0);
    return { runId, counts: state.counts, requests: served.slice(start).filter((request) => !request.url.endsWith('/robots.txt')) };
  }

  const sql = async (query: string) => (await runReadOnlySql(config.duckdbPath, query)).rows;
  const scalar = async (query: string) => Number((await sql(query))[0]![0]);
  const rowCounts = async () => ({
    reports: await scalar('select count(*) from reports'),
    cells: await scalar('select count(*) from report_cells'),
  });
  const health = async (runId: string) =>
    new Map(
      (await sql(`select source_id, reports_found, flagged, note from source_health where run_id = '${runId}'`)).map(
        ([sourceId, reportsFound, flagged, note]) =>
          [String(sourceId), { reportsFound: Number(reportsFound), flagged: flagged === true, note }] as const,
      ),
    );

  let firstRunId = '';
  let baseline = { reports: 0, cells: 0 };
  let withdrawnUrl = '';

  test('a cold run loads the planted reports, and no source is flagged', async () => {
    const { runId } = await run();
    firstRunId = runId;
    baseline = await rowCounts();
    assert.ok(baseline.reports >= demo.planted.length);
    for (const [sourceId, row] of await health(runId)) assert.equal(row.flagged, false, `${sourceId}: ${String(row.note)}`);
  });

  test('a second run over the unchanged portals asks only list pages, conditionally, and fetches or loads nothing', async () => {
    const { runId, counts, requests } = await run();
    assert.ok(requests.length > 0);
    const documentUrls = new Set(demo.planted.flatMap((report) => [report.detailUrl, report.pdfUrl, ...report.partUrls]));
    for (const request of requests) {
      assert.ok(request.conditional, `${request.method} ${request.url} asked conditionally`);
      assert.equal(request.status, 304, `${request.url} unchanged`);
      assert.ok(!documentUrls.has(request.url), `${request.url} is a list page`);
    }
    assert.equal(counts['fetch:completed'] ?? 0, 0, 'no document is asked for again');
    const unchanged = Object.entries(counts)
      .filter(([key]) => key.endsWith(':unchanged'))
      .reduce((sum, [, value]) => sum + value, 0);
    const discovered = Object.entries(counts)
      .filter(([key]) => key.endsWith(':discovered'))
      .reduce((sum, [, value]) => sum + value, 0);
    assert.equal(unchanged, discovered, 'every document counts as unchanged');
    assert.equal(counts['extract:completed'] ?? 0, 0, 'no extract job');
    assert.deepEqual(await rowCounts(), baseline);
    const before = await health(firstRunId);
    for (const [sourceId, row] of await health(runId)) {
      assert.equal(row.reportsFound, before.get(sourceId)!.reportsFound, `${sourceId}: unchanged reports still count as found`);
      assert.equal(row.flagged, false, `${sourceId}: ${String(row.note)}`);
    }
  });

  test('a corrected report adds exactly one revision; a withdrawn one is marked as vanished, not deleted', async () => {
    const corrected = demo.planted.find((report) => report.htmlUrl !== null && report.cells[CORRECTED_KEY] !== undefined)!;
    const withdrawn = demo.planted.find((report) => report.portalId !== corrected.portalId && report.pdfUrl === null)!;
    withdrawnUrl = withdrawn.detailUrl;
    demo.republish((items) =>
      items.filter((item) => item.id !== withdrawn.id).map((item) => (item.id === corrected.id ? correct(item) : item)),
    );
    // Corrected in place, under a list that did not change: only a re-check (due every recheckDocumentsDays) sees it.
    const { runId, counts } = await run({ recheck: true });
    assert.equal(counts['extract:completed'], 1, 'only the corrected page is processed again');
    const now = await rowCounts();
    assert.equal(now.reports, baseline.reports + 1);
    const revisions = await sql(
      `select count(*), max(revisions) from report_revisions where issuer = '${corrected.issuer}' and year = ${corrected.year}`,
    );
    assert.deepEqual(revisions[0]!.map(Number), [2, 2]);
    const vanished = await sql(`select url, run_id, issuer, year, is_report from vanished_reports`);
    assert.deepEqual(
      vanished.map((row) => [row[0], row[1], row[2], Number(row[3]), row[4]]),
      [[withdrawn.detailUrl, runId, withdrawn.issuer, withdrawn.year, true]],
    );
    assert.equal(await scalar(`select count(*) from reports where url = '${withdrawn.detailUrl}'`), 1, 'its report is kept');
  });

  test('a portal that suddenly yields nothing is flagged, and says why', async () => {
    const emptied = demo.portals.find((portal) => portal.id === 'huaian')!;
    demo.republish((items, column) => (column.portalId === emptied.id ? [] : items));
    const { runId } = await run();
    const rows = await health(runId);
    const row = rows.get(emptied.source.id)!;
    assert.equal(row.flagged, true);
    assert.match(String(row.note), /no reports found \(previous run: \d+\)/);
    for (const [sourceId, other] of rows)
      if (sourceId !== emptied.source.id) assert.equal(other.flagged, false, `${sourceId}: ${String(other.note)}`);
    const vanished = await scalar(`select count(*) from vanished_reports where source_id = '${emptied.source.id}' and run_id = '${runId}'`);
    assert.ok(vanished > 0, 'its documents are marked as vanished');
  });

  test('documents listed again, though unchanged, are no longer shown as vanished', async () => {
    demo.republish();
    const { runId, counts } = await run();
    assert.equal(counts['extract:completed'] ?? 0, 0, 'the same bytes stop at fetch: the crawl alone notices the return');
    assert.deepEqual(await sql('select url, source_id from vanished_reports'), []);
    const returned = new Set((await sql('select url from document_reappearances')).map(([url]) => String(url)));
    assert.ok(returned.has(withdrawnUrl), 'the withdrawn report came back');
    assert.ok((await scalar(`select count(*) from document_reappearances where source_id = 'demo-huaian' and run_id = '${runId}'`)) > 0);
    const strays = `select count(*) from document_reappearances r
                     where not exists (select 1 from document_disappearances d where d.url = r.url and d.source_id = r.source_id)`;
    assert.equal(await scalar(strays), 0, 'only vanished documents are recorded as returned');
  });
});

/** The item with one figure raised: the portal now publishes a corrected version at the same URL. */
function correct(item: ColumnItem): ColumnItem {
  if (item.type !== 'report') return item;
  return { ...item, cells: { ...item.cells, [CORRECTED_KEY]: (item.cells[CORRECTED_KEY] ?? 0) + 1 } };
}
