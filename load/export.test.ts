/** `exportWarehouse` writes year-partitioned Parquet and CSV that a fresh DuckDB reads back unchanged. */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { exportWarehouse } from './export.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { runReadOnlySql } from './sql.ts';

let dir: string;
let file: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-export-'));
  file = path.join(dir, 'demo.duckdb');
  await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `sql` in a fresh in-memory DuckDB, as a user with the stock CLI would. */
async function readBack(sql: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

test('Parquet export is partitioned by year and reads back with the same rows and figures', async () => {
  const out = path.join(dir, 'parquet');
  const exported = await exportWarehouse(file, { format: 'parquet', outDir: out });
  const years = (await runReadOnlySql(file, 'select distinct year from report_summary order by year')).rows.map(([year]) => `year=${year}`);
  assert.deepEqual((await readdir(path.join(out, 'report_summary'))).sort(), years);
  const original = await runReadOnlySql(file, 'select issuer, year, key, value, raw from traced_cells order by issuer, year, key');
  const copy = await readBack(
    `select issuer, year, key, value, raw from read_parquet('${out}/report_cells/**/*.parquet', hive_partitioning = true) order by issuer, year, key`,
  );
  assert.equal(copy.length, original.rows.length);
  assert.deepEqual(
    copy.map((row) => [row[0], Number(row[1]), row[2], row[3], row[4]]),
    original.rows,
  );
  const summary = exported.find((dataset) => dataset.name === 'report_summary')!;
  const [[count]] = (await readBack(`select count(*) from read_parquet('${out}/report_summary/*/*.parquet')`)) as [[bigint]];
  assert.equal(Number(count), summary.rows);
  assert.ok(existsSync(path.join(out, 'regions.parquet')));
});

test('CSV export has a header and the same grant figures per report', async () => {
  const out = path.join(dir, 'csv');
  await exportWarehouse(file, { format: 'csv', outDir: out });
  const original = await runReadOnlySql(file, 'select issuer, year, granted, new_requests from report_summary order by issuer, year');
  const copy = await readBack(
    `select issuer, year, granted, new_requests from read_csv('${out}/report_summary/*/*.csv', hive_partitioning = true) order by issuer, year`,
  );
  assert.deepEqual(
    copy.map((row) => row.map((value) => (typeof value === 'bigint' ? Number(value) : value))),
    original.rows,
  );
});
