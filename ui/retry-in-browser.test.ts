/**
 * The queue UI in a real browser: a report PDF answers 404 (a permanent failure, recorded with its reason), the cause
 * is removed (the server now serves the PDF), Retry is clicked in bull-board, and the report lands in DuckDB.
 * Real Redis, real in-process workers, a real DuckDB file, chromium through playwright-core.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchOfflineChromium } from '../simulator/offline-chromium.ts';
import type { Config } from '../config/config.ts';
import type { DiscoveredDocument } from '../crawlers/types.ts';
import { jobId, type Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, startHoldingServer, waitFor, type HoldingServer, type TestPipeline } from '../jobs/test-support.ts';
import { runReadOnlySql } from '../load/index.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';
import { startUi } from './server.ts';

const pdf = readFileSync(new URL('../simulator/pdfs/huaian-2024.pdf', import.meta.url));
let fixture: TestPipeline;
let config: Config;
let pipeline: Pipeline;
let server: HoldingServer;
let ui: Awaited<ReturnType<typeof startUi>>;
let browser: Browser;

before(async () => {
  fixture = await openTestPipeline('ui', { allowPrivateNetworks: true });
  ({ config, pipeline } = fixture);
  fixture.startWorkers({ concurrency: 2 });
  server = await startHoldingServer();
  ui = await startUi(pipeline, { port: 0 });
  browser = await launchOfflineChromium();
});

after(async () => {
  await browser?.close();
  await ui?.close();
  await fixture?.close();
  await server?.close();
});

async function sql(query: string, params: string[] = []): Promise<unknown[][]> {
  const text = params.reduce((q, value, i) => q.replace(`$${i + 1}`, `'${value.replace(/'/g, "''")}'`), query);
  return (await retryWhileLocked(() => runReadOnlySql(config.duckdbPath, text))).rows;
}

test('a failed report is retried from the queue UI once its cause is gone, and lands in DuckDB', async () => {
  const signal = AbortSignal.timeout(85_000);
  let serving = false;
  server.release((_request, response) => {
    if (!serving) return void response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
    response.writeHead(200, { 'content-type': 'application/pdf', 'content-length': pdf.length }).end(pdf);
  });
  const url = `${server.url}/huaian-2024.pdf`;
  const document: DiscoveredDocument = {
    sourceId: 'ui-test',
    url,
    title: '淮安市2024年政府信息公开工作年度报告',
    kindHint: 'pdf',
    foundOn: `${server.url}/`,
    publishedAt: '2025-01-20',
  };
  const runId = 'ui-retry';
  const id = jobId(runId, 'fetch', 'huaian');
  await pipeline.tracker.begin(runId, new Date().toISOString());
  await pipeline.tracker.expect(runId, [id]);
  await pipeline.queues.fetch.add('fetch', { runId, document }, { jobId: id });

  // The 404 is permanent: the job fails at once, and the failure is recorded with its code and reason.
  await pipeline.tracker.waitUntilRecorded(runId, { signal });
  assert.equal(await pipeline.queues.fetch.getJobState(id), 'failed');
  const failures = await sql('select stage, code, reason from failures where url = $1', [url]);
  assert.equal(failures.length, 1);
  assert.equal(failures[0]![1], 'HTTP_404');
  assert.equal((await pipeline.tracker.state(runId)).counts['failures:HTTP_404'], 1, 'status shows failures by reason');

  const page = await browser.newPage();
  await page.goto(`${ui.url}/failures`);
  assert.ok(await page.getByRole('link', { name: url }).isVisible(), 'the failures page links the source URL');

  serving = true;
  await page.goto(`${ui.url}/queues/queue/fetch?status=failed`);
  // bull-board's job actions are icon buttons named only by a tooltip; on a failed job Retry comes first.
  const retry = page.locator('ul[class*="jobActions"] li').first().locator('button');
  await retry.hover();
  await page.getByText('Retry', { exact: true }).waitFor();
  await retry.click();
  await page.getByRole('button', { name: 'Confirm' }).click();

  const reports = await waitFor(
    async () => {
      const rows = await sql('select is_report, year from reports where url = $1', [url]);
      return rows.length > 0 ? rows : undefined;
    },
    signal,
    300,
  );
  assert.equal(reports.length, 1);
  assert.equal(await pipeline.queues.fetch.getJobState(id), 'completed');
  const state = await pipeline.tracker.waitUntilRecorded(runId, { signal });
  assert.equal(state.counts['fetch:completed'], 1);
  assert.equal(state.counts['fetch:failed'], 0);
  assert.equal(state.counts['failures:HTTP_404'], undefined, 'a retried failure no longer counts');
});
