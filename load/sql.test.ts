import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
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

test('refuses writes (CREATE, INSERT) before running them, and the data stays as it was', async () => {
  await assert.rejects(runReadOnlySql(file, 'create table x(i int)'), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'SQL_REFUSED');
    assert.match(error.message, /CREATE statements are refused/);
    return true;
  });
  await assert.rejects(
    runReadOnlySql(file, `insert into failures (run_id, stage, url, code, reason) values ('r','load','u','C','x')`),
    /INSERT statements are refused/,
  );
  const count = await runReadOnlySql(file, 'select count(*) from failures');
  assert.deepEqual(count.rows, [[0]]);
});

test('says the file does not exist rather than creating it', async () => {
  const missing = path.join(dir, 'missing.duckdb');
  await assert.rejects(runReadOnlySql(missing, 'select 1'), {
    code: 'WAREHOUSE_NOT_FOUND',
    message: new RegExp(`no DuckDB file at ${missing}`),
  });
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
  assert.equal(formatCsv(sample), 'issuer,note,granted\r\n"示例县, 办公室","said ""no""",5\r\nplain,"two\nlines",');
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

/** Asserts that `sql` is refused with SQL_REFUSED and a message matching `reason`, and that nothing was written. */
async function assertRefused(sql: string, reason: RegExp): Promise<void> {
  await assert.rejects(runReadOnlySql(file, sql), (error: Error & { code?: string; retryable?: boolean }) => {
    assert.equal(error.code, 'SQL_REFUSED', `${sql}: ${error.message}`);
    assert.equal(error.retryable, false);
    assert.match(error.message, /^refused: /);
    assert.match(error.message, reason);
    return true;
  });
}

test('refuses reading files with read_csv, read_parquet and glob', async () => {
  await assertRefused(`select * from read_csv('/etc/passwd')`, /file and network access is disabled.*\/etc\/passwd/);
  await assertRefused(`select * from read_parquet('${dir}/x.parquet')`, /file and network access is disabled/);
  await assertRefused(`select * from glob('/etc/*')`, /file and network access is disabled/);
});

test('refuses COPY … TO and EXPORT DATABASE, and no file appears', async () => {
  const target = path.join(dir, 'leak.csv');
  await assertRefused(`copy failures to '${target}'`, /COPY.*yangguang export/);
  await assertRefused(`export database '${path.join(dir, 'dump')}'`, /file and network access is disabled/);
  assert.equal(existsSync(target), false);
});

test('refuses ATTACH, INSTALL, LOAD and SET', async () => {
  await assertRefused(`attach '${path.join(dir, 'other.duckdb')}' as other`, /ATTACH/);
  await assertRefused(`attach ':memory:' as scratch`, /ATTACH statements are refused/);
  await assertRefused('install httpfs', /INSTALL and LOAD add extensions/);
  await assertRefused('load httpfs', /INSTALL and LOAD add extensions/);
  await assertRefused('set enable_external_access = true', /settings are locked/);
});

test('refuses a batch as a whole when one statement is refused', async () => {
  await assertRefused(`select 1; attach ':memory:' as scratch; select 2`, /ATTACH/);
});

test('runs queries of every read-only kind and returns the last result', async () => {
  for (const sql of [
    'describe documents',
    'show tables',
    'summarize failures',
    'explain select 1',
    'from crawl_runs',
    'pragma show_tables',
  ]) {
    const result = await runReadOnlySql(file, sql);
    assert.ok(result.columns.length > 0, sql);
  }
  assert.deepEqual((await runReadOnlySql(file, 'select 1 as a; select 2 as b')).rows, [[2]]);
});

test('says a query is empty instead of failing in DuckDB', async () => {
  for (const sql of ['', '   ', ';', ' ; ;', '-- only a comment', '/* a block */ ;']) {
    await assert.rejects(runReadOnlySql(file, sql), { code: 'SQL_EMPTY', message: /no statement to run/ }, JSON.stringify(sql));
  }
});

test('refuses every file-reading function with the same wording, whether DuckDB stops it planning or running', async () => {
  const wording = /^refused: file and network access is disabled in the SQL console/;
  for (const call of [
    "read_csv('/etc/passwd')",
    "read_parquet('/etc/passwd')",
    "glob('/etc/*')",
    "read_text('/etc/passwd')",
    "read_json('/etc/passwd')",
    "sniff_csv('/etc/passwd')",
    "'/etc/passwd'",
  ]) {
    await assert.rejects(runReadOnlySql(file, `select * from ${call}`), { code: 'SQL_REFUSED', message: wording }, call);
  }
});

test('stops a query past its time limit and names the limit', async () => {
  const limits = { timeoutSecs: 0.5, memoryLimitMb: 512 };
  await assert.rejects(runReadOnlySql(file, 'select count(*) from range(1000000000) a, range(1000000) b', { limits }), {
    code: 'SQL_TIMEOUT',
    message: /ran longer than 0.5 s and was stopped.*--timeout/,
  });
  // The file was let go: the next reader gets in.
  assert.deepEqual((await runReadOnlySql(file, 'select 1')).rows, [[1]]);
});

test('fails a query past the memory limit without spilling to disk, and names the limit', async () => {
  const limits = { timeoutSecs: 120, memoryLimitMb: 64 };
  const sql = `select count(distinct x) from (select i::varchar || repeat('x', 60) as x from range(5000000) t(i))`;
  await assert.rejects(runReadOnlySql(file, sql, { limits }), { code: 'SQL_QUERY_FAILED', message: /memory limit of 64 MB/ });
});
