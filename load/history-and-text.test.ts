/** Migration 0003 on the demo data: revisions, every table and line of a document, regions and roll-ups. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { extractDocument } from '../extract/index.ts';
import { renderStandaloneReport, type PlantedReportData } from '../simulator/index.ts';
import { listRegions } from '../transform/regions.ts';
import { T3_ROWS_ANY } from '../transform/keys.ts';
import { buildDemoWarehouse, loadPlantedReport } from './fixtures/demo-warehouse.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
let file: string;
let planted: PlantedReportData[];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-history-'));
  file = path.join(dir, 'demo.duckdb');
  planted = await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rows = async (sql: string) => (await runReadOnlySql(file, sql)).rows;

test('a corrected report for the same issuer and year adds revision 2 and becomes the latest', async () => {
  const original = planted.find((report) => report.id === 'huaian-2024')!;
  const corrected: PlantedReportData = {
    ...original,
    publishedAt: '2025-04-15',
    cells: { ...original.cells, 't3.granted.natural_person': 1, 't3.granted.total': (original.cells['t3.granted.total'] ?? 0) + 1 },
  };
  const second = await withWarehouse(file, (warehouse) => loadPlantedReport(warehouse, corrected));
  const revisions = await rows(
    `select revision, revisions, is_latest, sha256, published_at from report_revisions where issuer = '${original.issuer}' and year = 2024 order by revision`,
  );
  assert.equal(revisions.length, 2);
  assert.deepEqual(
    revisions.map((row) => row.slice(0, 3)),
    [
      [1, 2, false],
      [2, 2, true],
    ],
  );
  assert.equal(revisions[1]![3], second.sha256);
  assert.equal(revisions[1]![4], '2025-04-15');
  const [[granted]] = (await rows(`select granted from report_summary where issuer = '${original.issuer}' and year = 2024`)) as [[number]];
  assert.equal(granted, (original.cells['t3.granted.total'] ?? 0) + 1);
});

test('every table slot and text line of a document is loaded, and each cell provenance resolves to its slot', async () => {
  const report = planted.find((item) => item.id === 'longde-2020')!;
  const bytes = new TextEncoder().encode(renderStandaloneReport(report));
  const extracted = await extractDocument(bytes, { sha256: 'x', contentType: 'text/html; charset=utf-8', url: 'u', maxBytes: 1e7 });
  const blocks = extracted.pages.flatMap((page) => page.blocks);
  const expectedSlots = blocks.flatMap((block) => (block.kind === 'table' ? block.rows.flat() : [])).length;
  const [[tables, slots, lines]] = (await rows(
    `select (select count(*) from doc_tables where sha256 = s), (select count(*) from doc_table_cells where sha256 = s),
            (select count(*) from document_text where sha256 = s)
       from (select sha256 as s from report_summary where issuer = '${report.issuer}')`,
  )) as [[number, number, number]];
  assert.equal(tables, blocks.filter((block) => block.kind === 'table').length);
  assert.equal(slots, expectedSlots);
  assert.equal(lines, blocks.filter((block) => block.kind === 'line').length);
  const mismatches = await rows(
    `select t.key, t.raw, c.text from traced_cells t
       join doc_table_cells c on c.sha256 = t.sha256 and c.table_index = t.table_index and c.row_index = t.row_index
                             and c.column_index = t.column_index
      where t.issuer = '${report.issuer}' and trim(c.text) <> trim(t.raw)`,
  );
  assert.deepEqual(mismatches, []);
  const [[unresolved]] = (await rows(
    `select count(*) from traced_cells t anti join doc_table_cells c on c.sha256 = t.sha256 and c.table_index = t.table_index
       and c.row_index = t.row_index and c.column_index = t.column_index where t.table_index is not null`,
  )) as [[number]];
  assert.equal(unresolved, 0);
});

test('regions are seeded from the GB/T 2260 table and reports roll up to prefecture and province', async () => {
  const [[count]] = (await rows('select count(*) from regions')) as [[number]];
  assert.equal(count, listRegions().length);
  const county = planted.find((report) => report.id === 'yongshan-2020')!;
  const up = await rows(
    `select region_level, region_code, new_requests from region_year_rollup where year = 2020 and region_code in ('530625', '530600', '530000') order by region_code desc`,
  );
  const expected = county.cells['t3.new_received.total'];
  assert.deepEqual(up, [
    ['county', '530625', expected],
    ['prefecture', '530600', expected],
    ['province', '530000', expected],
  ]);
  const gansu = planted.filter((report) => report.regionCode.startsWith('62') && report.year === 2020);
  const [[gansuReports, gansuRequests]] = (await rows(
    `select reports, new_requests from region_year_rollup where region_code = '620000' and year = 2020`,
  )) as [[number, number]];
  assert.equal(gansuReports, gansu.length);
  assert.equal(
    gansuRequests,
    gansu.reduce((sum, report) => sum + (report.cells['t3.new_received.total'] ?? 0), 0),
  );
});

test('table3_wide orders rows by the national template, as transform/keys.ts lists them', async () => {
  const order = await rows('select row_key from t3_row_order order by position');
  assert.deepEqual(
    order.map(([key]) => key),
    T3_ROWS_ANY.map((row) => row.prefix.slice('t3.'.length)),
  );
  const huaian = await rows(`select template_row from table3_wide where issuer = '淮安市洪泽区人民政府'`);
  const positions = huaian.map(([position]) => position as number);
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
  );
  assert.ok(positions.every((position) => position !== null));
});
