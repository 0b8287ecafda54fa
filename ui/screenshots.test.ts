/**
 * Screenshots in a real Chromium (playwright-core, Debian's chromium, offline) of the runs page and of the
 * researchers' report, checked for real content: every chart canvas has drawn pixels, the tables hold the planted
 * figures, the template's Chinese labels are shown, nothing reads `[object Object]`. The PNGs are kept under
 * .tmp/test-output/screenshots/ (or $YANGGUANG_TEST_OUTPUT) for a person to look at.
 */
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchOfflineChromium } from '../simulator/offline-chromium.ts';
import type { Config } from '../config/config.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { buildDemoWarehouse } from '../load/fixtures/demo-warehouse.ts';
import { recordFailure, recordRun, withWarehouse } from '../load/index.ts';
import { OUTCOME_LABELS, formatFigure, writeReportPage } from '../load/report-page.ts';
import type { PlantedReportData } from '../simulator/index.ts';
import { startUi } from './server.ts';

const shots =
  process.env.YANGGUANG_TEST_OUTPUT ?? path.join(fileURLToPath(new URL('..', import.meta.url)), '.tmp', 'test-output', 'screenshots');
let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;
let ui: Awaited<ReturnType<typeof startUi>>;
let browser: Browser;
let planted: PlantedReportData[];

before(async () => {
  fixture = await openTestPipeline('shots');
  ({ dir, config, pipeline } = fixture);
  await mkdir(shots, { recursive: true });
  planted = await buildDemoWarehouse(config.duckdbPath);
  await withWarehouse(config.duckdbPath, async (warehouse) => {
    await recordRun(warehouse, {
      runId: '20261205T180000-demo',
      startedAt: '2026-12-05T18:00:00.000Z',
      finishedAt: '2026-12-05T18:03:12.000Z',
      status: 'finished_with_failures',
      summary: {
        'crawl:completed': 3,
        'fetch:completed': planted.length,
        'fetch:failed': 1,
        'extract:completed': planted.length,
        'parse:completed': planted.length,
        'load:completed': planted.length,
        'failures:CONNECTION_REFUSED': 1,
      },
      health: [],
    });
    await recordFailure(warehouse, {
      runId: '20261205T180000-demo',
      stage: 'fetch',
      sourceId: 'huaian',
      sha256: null,
      url: 'http://127.0.0.1:9/nb/report.pdf',
      code: 'CONNECTION_REFUSED',
      reason: 'fetching http://127.0.0.1:9/nb/report.pdf failed: connection refused (connect ECONNREFUSED 127.0.0.1:9)',
    });
  });
  await pipeline.tracker.begin('20261206T010000-live', new Date(Date.now() - 65_000).toISOString());
  await pipeline.tracker.expect('20261206T010000-live', ['live.crawl.a', 'live.fetch.b']);
  await pipeline.tracker.settle('20261206T010000-live', 'live.crawl.a', 'crawl', 'completed');
  ui = await startUi(pipeline, { port: 0 });
  browser = await launchOfflineChromium();
});

after(async () => {
  await browser?.close();
  await ui?.close();
  await fixture?.close();
});

/** A page that records its errors and any request leaving 127.0.0.1 or the file system. */
async function openPage(): Promise<{ page: Page; errors: string[]; offsite: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1150, height: 1000 } });
  const errors: string[] = [];
  const offsite: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('request', (request) => /^(file:|http:\/\/127\.0\.0\.1[:/])/.test(request.url()) || offsite.push(request.url()));
  return { page, errors, offsite };
}

/**
 * A page expression (the tests are typed without the DOM): true once the chart's canvas has at least `least` coloured
 * pixels among every 7th — bars and heatmap cells; axes, grid lines and labels are grey, and a chart without data
 * draws only its legend's few coloured marks.
 */
function colouredPixelsAtLeast(chartId: string, least: number): string {
  // A chart may draw on several layered canvases (the heatmap does): all of them count.
  return `(() => {
    let coloured = 0;
    for (const canvas of document.querySelectorAll(${JSON.stringify(`#${chartId} canvas`)})) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < pixels.length; i += 4 * 7) {
        const [r, g, b, a] = [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]];
        if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 20) coloured += 1;
      }
    }
    return coloured >= ${least};
  })()`;
}

async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(shots, name);
  await page.screenshot({ path: file, fullPage: true });
  assert.ok((await stat(file)).size > 20_000, `${name} shows something`);
}

test('the runs page in Chromium shows the running run, the recorded run with its stages and failures (times in Asia/Shanghai), and links on to failures and health', async () => {
  const { page, errors, offsite } = await openPage();
  try {
    await page.goto(`${ui.url}/runs`);
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\[object Object\]/);
    assert.match(text, /20261206T010000-live\trunning\t/);
    assert.match(text, /crawl: 1 done/);
    assert.match(text, /20261205T180000-demo\tfinished_with_failures\t2026-12-06 02:00:00\t2026-12-06 02:03:12\t3 min 12 s/);
    assert.match(text, new RegExp(`fetch: ${planted.length} done, 1 failed`));
    assert.match(text, /CONNECTION_REFUSED × 1 \(fetch\)/);
    assert.match(text, /Times in Asia\/Shanghai · this page refreshes every 5 s/);
    await screenshot(page, 'runs.png');

    await page.getByRole('link', { name: 'CONNECTION_REFUSED' }).click();
    await page.waitForURL(/\/failures\?run=20261205T180000-demo&code=CONNECTION_REFUSED$/);
    assert.match(await page.locator('body').innerText(), /connection refused \(connect ECONNREFUSED 127\.0\.0\.1:9\)/);
    await screenshot(page, 'failures.png');

    await page.getByRole('link', { name: 'Health' }).click();
    const health = await page.locator('body').innerText();
    assert.match(health, /Redis\tanswering\t/);
    assert.match(health, /warehouse \(DuckDB\)\treadable\t/);
    assert.match(health, new RegExp(`${planted.length} reports, 1 runs recorded`));
    await screenshot(page, 'health.png');
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await page.close();
  }
});

test('the report in Chromium draws every chart, shows the planted figures in its tables and the template labels', async () => {
  const out = await writeReportPage(config.duckdbPath, path.join(dir, 'report.html'), { timezone: config.timezone });
  const { page, errors, offsite } = await openPage();
  try {
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction('window.chartsRendered === true', undefined, { timeout: 30_000 });
    const charts = await page.locator('.chart').evaluateAll((elements) => elements.map((element) => element.id));
    assert.deepEqual(charts, ['requests', 'medians', 'outcomes', 'coverage', 'anomalies']);
    for (const id of charts) {
      // ECharts animates its drawing: wait until the chart's marks are on the canvas.
      await page.waitForFunction(colouredPixelsAtLeast(id, 1000), undefined, { timeout: 30_000 });
    }
    const text = await page.locator('body').innerText();
    assert.doesNotMatch(text, /\[object Object\]|not_processed/);
    for (const label of Object.values(OUTCOME_LABELS)) assert.ok(text.includes(label), label);
    const biggest = planted.reduce((top, report) =>
      (report.cells['t3.new_received.total'] ?? 0) > (top.cells['t3.new_received.total'] ?? 0) ? report : top,
    );
    const cell = page
      .locator('section:has(#requests) table')
      .getByRole('cell', { name: formatFigure(biggest.cells['t3.new_received.total']!), exact: true });
    assert.equal(await cell.count(), 1, "the biggest issuer's requests in the table under the chart");
    const years = planted.map((report) => report.year);
    const span = Array.from({ length: Math.max(...years) - Math.min(...years) + 1 }, (_, i) => String(Math.min(...years) + i));
    assert.deepEqual(
      (await page.locator('section:has(#requests) table th').allInnerTexts()).slice(1),
      span,
      'every year, those without reports too',
    );
    assert.match(text, /生成于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d（Asia\/Shanghai）/);
    await screenshot(page, 'report.png');
    assert.deepEqual(errors, []);
    assert.deepEqual(offsite, []);
  } finally {
    await page.close();
  }
});
