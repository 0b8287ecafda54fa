/** `yangguang sql` without a query: a shell over stdin, read-only, that survives a refused statement. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildDemoWarehouse } from '../load/fixtures/demo-warehouse.ts';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'yangguang.mjs');
let dir: string;
let duckdbPath: string;
let plantedReports: number;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-sql-shell-'));
  duckdbPath = path.join(dir, 'warehouse.duckdb');
  plantedReports = (await buildDemoWarehouse(duckdbPath)).length;
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function shell(input: string) {
  const env = { ...process.env, YANGGUANG_DATA_DIR: dir, YANGGUANG_DUCKDB_PATH: duckdbPath };
  return spawnSync(process.execPath, [bin, 'sql', '--format', 'csv'], { input, env, encoding: 'utf8', timeout: 60_000 });
}

test('runs statements that span lines, reports a refused one and goes on, and stops at .quit', () => {
  const stolen = path.join(dir, 'stolen.csv');
  const result = shell(
    [
      'select count(*) as reports',
      'from latest_reports;',
      `copy latest_reports to '${stolen}';`,
      "select 'still here' as status;",
      '.quit',
      "select 'after quit' as status;",
      '',
    ].join('\n'),
  );
  assert.match(result.stdout, new RegExp(`^reports\\r?\\n${plantedReports}\\r?$`, 'm'));
  assert.match(result.stdout, /^error: .*COPY/im);
  assert.match(result.stdout, /still here/);
  assert.doesNotMatch(result.stdout, /after quit/);
  assert.equal(existsSync(stolen), false);
  assert.equal(result.status, 1, 'a refused statement makes the shell exit non-zero');
});
