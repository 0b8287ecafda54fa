/** Exported counts are integers, each file carries its year, and `excel` CSV starts with a UTF-8 byte order mark. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { exportWarehouse } from './export.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

let dir: string;
let file: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-export-columns-'));
  file = path.join(dir, 'demo.duckdb');
  await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function columnTypes(source: string): Promise<Map<string, string>> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`describe select * from ${source}`)).getRowsJS();
    return new Map(rows.map(([name, type]) => [String(name), String(type)]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** One exported file of report_summary, read alone (no partition folder to take the year from). */
async function oneFile(out: string, ext: string): Promise<string> {
  const folder = path.join(out, 'report_summary', (await readdir(path.join(out, 'report_summary'))).sort()[0]!);
  return path.join(
    folder,
    (await readdir(folder)).sort().find((name) => name.endsWith(ext))!,
  );
}

test('Parquet files hold counts as BIGINT, the grant rate as a fraction, and their year', async () => {
  const out = path.join(dir, 'parquet');
  await exportWarehouse(file, { format: 'parquet', outDir: out });
  const types = await columnTypes(`read_parquet('${await oneFile(out, '.parquet')}')`);
  for (const count of ['new_requests', 'granted', 'denied', 'lawsuits', 'anomalies']) assert.equal(types.get(count), 'BIGINT', count);
  assert.equal(types.get('grant_rate'), 'DOUBLE');
  assert.ok(types.has('year'), 'year is inside the file');
});

test('a column with a fraction in it (a fee, a misprint kept as printed) stays a DOUBLE: nothing is rounded away', async () => {
  const out = path.join(dir, 'parquet-cells');
  await exportWarehouse(file, { format: 'parquet', outDir: out });
  const fractions = await withReadOnlyWarehouse(
    file,
    async ({ connection }) =>
      (await connection.runAndReadAll('select count(*) filter (where value <> trunc(value)) from traced_cells')).getRowsJS()[0]![0],
  );
  const cells = await columnTypes(`read_parquet('${out}/report_cells/*/*.parquet')`);
  assert.equal(cells.get('value'), Number(fractions) > 0 ? 'DOUBLE' : 'BIGINT');
});

test('CSV writes counts without a decimal point, and --excel puts a UTF-8 BOM before each file', async () => {
  const out = path.join(dir, 'csv');
  await exportWarehouse(file, { format: 'csv', outDir: out });
  const plain = readFileSync(await oneFile(out, '.csv'), 'utf8');
  const [header, row] = plain.split('\n');
  const columns = header!.split(',');
  assert.ok(columns.includes('year'));
  assert.match(row!.split(',')[columns.indexOf('new_requests')]!, /^\d+$/);
  assert.notEqual(plain.charCodeAt(0), 0xfeff);

  const excel = path.join(dir, 'excel');
  await exportWarehouse(file, { format: 'parquet', outDir: excel, excel: true });
  const bytes = readFileSync(await oneFile(excel, '.csv'));
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(bytes.subarray(3).toString('utf8'), plain);
  assert.ok(
    readFileSync(path.join(excel, 'regions.csv'))
      .subarray(0, 3)
      .equals(Buffer.from([0xef, 0xbb, 0xbf])),
  );
});
