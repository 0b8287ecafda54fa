/** `yangguang report`: the page renders its charts in a real Chromium, offline, without page errors. */
import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import type { PlantedReportData } from '../simulator/index.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { readReportData, writeReportPage } from './report-page.ts';

let dir: string;
let file: string;
let planted: PlantedReportData[];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-report-'));
  file = path.join(dir, 'demo.duckdb');
  planted = await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the chart data holds the planted totals', async () => {
  const data = await readReportData(file);
  assert.equal(data.reports, planted.length);
  const granted = planted.reduce((total, report) => total + (report.cells['t3.granted.total'] ?? 0), 0);
  assert.equal(data.outcomes.find((row) => row.outcome === 'granted')?.requests, granted);
  const anomalous = planted.filter((report) => report.anomalies.length > 0).map((report) => report.portalId);
  for (const source of anomalous) assert.ok(data.anomaliesBySource.some((row) => row.source_id === source), source);
});

test('the self-contained page draws three charts in Chromium with no page errors and no network', async () => {
  const out = await writeReportPage(file, path.join(dir, 'out', 'report.html'));
  const html = await readFile(out, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    proxy: { server: 'http://127.0.0.1:9', bypass: '127.0.0.1,localhost' },
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(out).href);
    await page.waitForFunction('window.chartsRendered === true', undefined, { timeout: 30_000 });
    for (const id of ['requests', 'outcomes', 'anomalies']) {
      const canvases = await page.locator(`#${id} canvas`).count();
      assert.ok(canvases > 0, `chart #${id} has a canvas`);
      const box = await page.locator(`#${id} canvas`).first().boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `chart #${id} has a size`);
    }
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok((await stat(shot)).size > 10_000, 'the screenshot shows something');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((url) => !url.startsWith('file:')), []);
  } finally {
    await browser.close();
  }
});
