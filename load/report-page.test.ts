/**
 * `yangguang report`: the figures behind the researchers' charts equal the planted ones (per province and year, per
 * outcome, coverage against the catalog), every year of the span is on the axis, and the page says what it shows
 * in the template's terms. The page in a real Chromium: ui/screenshots.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readCatalog } from '../crawlers/catalog.ts';
import type { PlantedReportData } from '../simulator/index.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { OUTCOME_LABELS, formatFigure, readReportData, writeReportPage, type ReportData } from './report-page.ts';

let dir: string;
let file: string;
let planted: PlantedReportData[];
let data: ReportData;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-report-'));
  file = path.join(dir, 'demo.duckdb');
  planted = await buildDemoWarehouse(file);
  data = await readReportData(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Sums of the planted figures by a key, leaving out blanks; a group with only blanks is absent. */
function plantedSums(key: (report: PlantedReportData, cell: string) => string | null): Map<string, number> {
  const sums = new Map<string, number>();
  for (const report of planted) {
    for (const [cell, value] of Object.entries(report.cells)) {
      const group = value === null ? null : key(report, cell);
      if (group !== null) sums.set(group, (sums.get(group) ?? 0) + value!);
    }
  }
  return sums;
}

test('every year from the first report to the last is on the axis, those without reports too', () => {
  const years = planted.map((report) => report.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  assert.deepEqual(
    data.years,
    Array.from({ length: last - first + 1 }, (_, i) => first + i),
  );
  assert.ok(
    data.years.some((year) => !years.includes(year)),
    'the demo has years without a report: they must stay',
  );
  assert.equal(data.totals.reports, planted.length);
});

test('new requests per province and year, summed and per issuer, are the planted figures', () => {
  const expected = plantedSums((report, cell) =>
    cell === 't3.new_received.total' ? `${report.regionCode.slice(0, 2)}:${report.year}` : null,
  );
  const actual = new Map(data.requestsByProvince.map((row) => [`${row.provinceCode}:${row.year}`, row.newRequests]));
  assert.deepEqual(actual, expected);
  const biggest = Math.max(...planted.map((report) => report.cells['t3.new_received.total'] ?? 0));
  const row = data.requestsByProvince.find((candidate) => candidate.maxRequests === biggest);
  assert.ok(row && row.medianRequests <= row.newRequests);
});

test('outcomes per year are the planted result rows, under the template names', () => {
  const outcomeOf = (cell: string) => {
    if (cell === 't3.granted.total' || cell === 't3.partial.total' || cell === 't3.other.total') return cell.split('.')[1]!;
    return /^t3\.(denied|unable|not_processed|other)\.[a-z_]+\.total$/.exec(cell)?.[1] ?? null;
  };
  const expected = plantedSums((report, cell) => (outcomeOf(cell) ? `${report.year}:${outcomeOf(cell)}` : null));
  assert.deepEqual(new Map(data.outcomes.map((row) => [`${row.year}:${row.outcome}`, row.requests])), expected);
  assert.deepEqual(Object.values(OUTCOME_LABELS), ['予以公开', '部分公开', '不予公开', '无法提供', '不予处理', '其他处理']);
});

test('coverage counts the governments with a report against those the catalog lists, per province and year', () => {
  const catalog = readCatalog();
  const provinces = new Set(catalog.filter((entry) => entry.regionCode).map((entry) => entry.regionCode!.slice(0, 2)));
  assert.equal(data.coverage.length, provinces.size * data.years.length, 'every catalog province, every year');
  for (const report of planted) {
    const code = report.regionCode.slice(0, 2);
    const row = data.coverage.find((candidate) => candidate.provinceCode === code && candidate.year === report.year)!;
    const governments = planted.filter(
      (other) =>
        other.regionCode.slice(0, 2) === code && other.year === report.year && ['province', 'prefecture', 'county'].includes(other.level),
    );
    assert.equal(row.governments, new Set(governments.map((other) => other.regionCode)).size, `${code} ${report.year}`);
    assert.equal(row.listed, catalog.filter((entry) => entry.regionCode?.startsWith(code)).length);
  }
});

test('the page holds the tables of the figures, the SQL of each chart and its generation time, and no internal keys', async () => {
  const out = await writeReportPage(file, path.join(dir, 'out', 'report.html'), { timezone: 'Asia/Shanghai' });
  const html = await readFile(out, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  const text = html.slice(0, html.indexOf('<script>')); // the visible part, before the inlined ECharts
  for (const label of Object.values(OUTCOME_LABELS)) assert.match(text, new RegExp(`<th>${label}</th>`));
  assert.doesNotMatch(text.replace(/<pre>[\s\S]*?<\/pre>/g, ''), /not_processed|\[object Object\]/, 'internal keys only in the SQL shown');
  for (const year of data.years) assert.match(text, new RegExp(`<th>${year}</th>`));
  const biggest = Math.max(...planted.map((report) => report.cells['t3.new_received.total'] ?? 0));
  assert.match(text, new RegExp(`<td class="n">${formatFigure(biggest)}</td>`));
  assert.equal(text.match(/<details><summary>SQL<\/summary><pre>/g)?.length, 5);
  assert.match(text, /from report_summary s/);
  assert.match(text, /生成于 <time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d<\/time>（Asia\/Shanghai）/);
});
