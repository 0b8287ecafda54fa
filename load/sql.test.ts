import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { formatCsv, formatJson, formatTable, runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
let file: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-load-'));
  file = path.join(dir, 'sql.duckdb');
  await withWarehouse(file, async () => undefined);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("refuses writes with DuckDB's read-only error", async () => {
  await assert.rejects(runReadOnlySql(file, 'create table x(i int)'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'SQL_QUERY_FAILED');
    assert.match(error.message, /read-only mode/);
    return true;
  });
  await assert.rejects(runReadOnlySql(file, `insert into failures (run_id, stage, url, code, reason) values ('r','load','u','C','x')`), /read-only/);
  const count = await runReadOnlySql(file, 'select count(*) from failures');
  assert.deepEqual(count.rows, [[0]]);
});

test('says the file does not exist rather than creating it', async () => {
  const missing = path.join(dir, 'missing.duckdb');
  await assert.rejects(runReadOnlySql(missing, 'select 1'), { code: 'WAREHOUSE_NOT_FOUND', message: new RegExp(`no DuckDB file at ${missing}`) });
});

test('converts BIGINT, DECIMAL, dates, timestamps and JSON to plain values', async () => {
  const result = await runReadOnlySql(
    file,
    `select 42::bigint as small, 9007199254740993::bigint as big, 12.50::decimal(6,2) as amount,
            date '2023-01-20' as published, timestamptz '2026-11-22 08:00:00+00' as fetched,
            '{"a": [1, 2]}'::json as doc, [1::bigint, 2::bigint] as list, null::double as blank`,
  );
  assert.deepEqual(result.columns, ['small', 'big', 'amount', 'published', 'fetched', 'doc', 'list', 'blank']);
  assert.deepEqual(result.rows, [[42, '9007199254740993', 12.5, '2023-01-20', '2026-11-22T08:00:00.000Z', { a: [1, 2] }, [1, 2], null]]);
});

const sample = {
  columns: ['issuer', 'note', 'granted'],
  rows: [
    ['示例县, 办公室', 'said "no"', 5],
    ['plain', 'two\nlines', null],
  ],
};

test('CSV quotes fields with commas, quotes and line breaks, doubling quotes, and leaves NULL empty', () => {
  assert.equal(
    formatCsv(sample),
    'issuer,note,granted\r\n"示例县, 办公室","said ""no""",5\r\nplain,"two\nlines",',
  );
});

test('CSV of a real query result keeps the values intact', async () => {
  const result = await runReadOnlySql(file, `select 'a,b' as x, 'say "hi"' as y, null as z`);
  assert.equal(formatCsv(result), 'x,y,z\r\n"a,b","say ""hi""",');
});

test('JSON is an array of objects keyed by column; tables print NULL distinctly from empty text', () => {
  assert.deepEqual(JSON.parse(formatJson(sample)), [
    { issuer: '示例县, 办公室', note: 'said "no"', granted: 5 },
    { issuer: 'plain', note: 'two\nlines', granted: null },
  ]);
  const table = formatTable({ columns: ['a', 'b'], rows: [[null, '']] });
  assert.match(table, /NULL/);
  assert.match(table, /\(1 row\)/);
});
