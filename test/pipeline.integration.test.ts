/**
 * The whole chain against the demo portals: real HTTP servers on 127.0.0.1, real Redis through BullMQ (a unique
 * queue prefix, removed afterwards), a real DuckDB file in a temp dir. The loaded figures must equal the planted ones.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { compareWithPlanted } from '../cli/demo.ts';
import type { Config } from '../config/config.ts';
import { enqueueRun, startWorkers, type Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { runReadOnlySql } from '../load/index.ts';
import { startDemoPortals } from '../simulator/index.ts';

let fixture: TestPipeline;
let config: Config;
let demo: Awaited<ReturnType<typeof startDemoPortals>>;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('it', { allowPrivateNetworks: true });
  ({ config, pipeline } = fixture);
  // With the reports published as scans: the image-only PDF, the image attachments and the <img> tables are OCRed.
  demo = await startDemoPortals({ scans: true });
});

after(async () => {
  await fixture?.close();
  await demo?.close();
});

test('a run over the demo portals loads exactly the planted reports with the planted figures', async () => {
  const workers = startWorkers(pipeline, { concurrency: 4 });
  try {
    const runId = await enqueueRun(
      pipeline,
      demo.portals.map((portal) => portal.source),
    );
    // OCR of the scanned reports takes seconds a page on a busy machine: a generous bound, not a timing assertion.
    const state = await pipeline.tracker.waitUntilRecorded(runId, { signal: AbortSignal.timeout(600_000) });
    assert.equal(state.pending, 0);
    assert.equal(state.counts['crawl:completed'], demo.portals.length);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }

  const check = await compareWithPlanted(config.duckdbPath, demo.planted);
  assert.deepEqual(check.mismatches, []);
  assert.match(check.message, /read by OCR from 3 scanned reports/);
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

test('reports published as scans are read by OCR: image parts in page order, decoration left out, every figure with its box and confidence', async () => {
  const scanned = demo.planted.filter((report) => report.scanned);
  assert.deepEqual(scanned.map((report) => report.scanned).sort(), ['html-images', 'scan-images', 'scan-pdf']);
  for (const report of scanned.filter((candidate) => candidate.scanUrls.length > 0)) {
    const parts = await runReadOnlySql(
      config.duckdbPath,
      `select p.url from document_parts p join document_sightings s using (sha256) where s.url = '${report.detailUrl}' order by p.part`,
    );
    // The logo (page header), the 16×16 icon and the small button of the <img> article are no parts.
    assert.deepEqual(
      parts.rows.map(([url]) => url),
      [report.detailUrl, ...report.scanUrls],
      `${report.id}: the article, then its scans`,
    );
  }
  const traced = await runReadOnlySql(
    config.duckdbPath,
    `select issuer, count(*), count(ocr_confidence), min(page), max(page), min(ocr_box_width) > 0, min(ocr_confidence) >= 0
       from traced_cells where table_index is not null and issuer in (${scanned.map((report) => `'${report.issuer}'`).join(', ')})
      group by issuer order by issuer`,
  );
  const pagesOf = (id: string) => (id === 'scan-pdf' ? [1, 2] : [2, 1 + scanned.find((report) => report.scanned === id)!.scanUrls.length]);
  assert.deepEqual(
    traced.rows.map(([issuer, cells, withOcr, firstPage, lastPage, boxed, confident]) => [
      issuer,
      Number(cells) === Number(withOcr),
      Number(firstPage),
      Number(lastPage),
      boxed,
      confident,
    ]),
    scanned
      .map((report) => [report.issuer, true, ...pagesOf(report.scanned!), true, true])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    'every figure read from a scanned table has its OCR box and confidence, on the page (part) it was read from',
  );
  const documents = await runReadOnlySql(
    config.duckdbPath,
    `select count(*) from document_sightings where url in (${scanned.flatMap((report) => report.scanUrls.map((url) => `'${url}'`)).join(', ')})`,
  );
  assert.equal(Number(documents.rows[0]![0]), 0, 'a scanned page is no document of its own');
});
