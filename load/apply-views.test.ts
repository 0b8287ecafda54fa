import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { VIEWS_DIR, applyViews } from './apply-views.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-views-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What each file of load/views/ defines: a view, or a macro the views share. */
const definitions = readdirSync(VIEWS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .map(
    (file) =>
      /create or replace (view|macro) (\w+)/.exec(readFileSync(path.join(VIEWS_DIR, file), 'utf8')) ??
      assert.fail(`${file} defines no view`),
  );
const definedViews = definitions.filter((match) => match[1] === 'view').map((match) => match[2]!);

test('each view is defined by exactly one file of load/views/, and no migration defines one', () => {
  assert.ok(definedViews.length >= 10);
  assert.equal(new Set(definedViews).size, definedViews.length);
  const migrations = path.join(VIEWS_DIR, '..', 'migrations');
  for (const file of readdirSync(migrations)) {
    assert.doesNotMatch(readFileSync(path.join(migrations, file), 'utf8'), /create (or replace )?view/i, file);
  }
});

test('a new warehouse has every view of load/views/ with its comment', async () => {
  await withWarehouse(path.join(dir, 'new.duckdb'), async ({ connection }) => {
    const reader = await connection.runAndReadAll('select view_name, comment from duckdb_views() where not internal');
    const comments = new Map(reader.getRowsJS().map(([name, comment]) => [String(name), comment]));
    for (const view of definedViews) assert.ok(comments.get(view), `${view} exists and has a comment`);
  });
});

test('views whose definitions changed are applied again at the next open, comments included; unchanged ones are left alone', async () => {
  const file = path.join(dir, 'upgrade.duckdb');
  await withWarehouse(file, async ({ connection }) => {
    assert.equal(await applyViews(connection), false, 'nothing to do right after the open that applied them');
    // What an older yangguang left: another report_summary, without comments, and another checksum.
    await connection.run('create or replace view report_summary as select 1 as old_column');
    await connection.run(`update schema_views set checksum = 'older'`);
  });
  await withWarehouse(file, async ({ connection }) => {
    const columns = await connection.runAndReadAll(`select column_name from duckdb_columns() where table_name = 'report_summary'`);
    const names = columns.getRowsJS().map(([name]) => name);
    assert.ok(names.includes('grant_rate') && !names.includes('old_column'), names.join(','));
    const comment = await connection.runAndReadAll(`select comment from duckdb_views() where view_name = 'report_summary'`);
    assert.match(String(comment.getRowsJS()[0]![0]), /headline figures/);
  });
});
