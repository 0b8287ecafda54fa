import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { appliedMigrations, listMigrations, migrate } from './migrate.ts';
import { runReadOnlySql } from './sql.ts';
import { openWarehouse, withWarehouse } from './warehouse.ts';
import { withWarehouseWhenFree } from './retry-locked.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-load-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('migrations apply once, in order, and are recorded in schema_migrations', async () => {
  const file = path.join(dir, 'nested', 'dir', 'migrate.duckdb');
  const files = await listMigrations();
  assert.ok(files.length >= 2);
  await withWarehouse(file, async (warehouse) => {
    const recorded = await appliedMigrations(warehouse.connection);
    assert.deepEqual(
      recorded,
      files.map(({ version, name }) => ({ version, name })),
    );
  });
  const warehouse = await openWarehouse(file);
  try {
    assert.deepEqual(await migrate(warehouse.connection), []);
    assert.equal((await appliedMigrations(warehouse.connection)).length, files.length);
  } finally {
    warehouse.close();
  }
  const tables = await runReadOnlySql(file, `select table_name from information_schema.tables order by table_name`);
  const names = tables.rows.map(([name]) => name);
  for (const name of [
    'documents',
    'document_sightings',
    'reports',
    'report_cells',
    'anomalies',
    'failures',
    'crawl_runs',
    'source_health',
    'latest_reports',
    'report_summary',
    'table3_wide',
  ]) {
    assert.ok(names.includes(name), `${name} exists`);
  }
});

test('withWarehouse closes the file even when the work throws', async () => {
  const file = path.join(dir, 'throws.duckdb');
  await assert.rejects(
    withWarehouse(file, async () => Promise.reject(new Error('boom'))),
    /boom/,
  );
  // Another process can open it only if this one released it.
  const output = await runInChild(`
    const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(${JSON.stringify(file)}).then((i) => { i.closeSync(); console.log('opened'); },
      (e) => console.log('failed: ' + e.message));`);
  assert.match(output, /^opened/);
});

test('a read-only query on a file a writer holds fails with WAREHOUSE_LOCKED, naming the lock', async () => {
  const file = path.join(dir, 'locked.duckdb');
  await withWarehouse(file, async () => undefined);
  await whileHeldInChild(file, {}, async () => {
    await assert.rejects(runReadOnlySql(file, 'select 1'), (error: Error & { code?: string; retryable?: boolean }) => {
      assert.equal(error.code, 'WAREHOUSE_LOCKED');
      assert.equal(error.retryable, true);
      assert.match(error.message, /locked by another process that has it open for writing/);
      return true;
    });
  });
});

test('a writer is kept out, retryably, while another process reads the file', async () => {
  const file = path.join(dir, 'reading.duckdb');
  await withWarehouse(file, async () => undefined);
  await whileHeldInChild(file, { access_mode: 'READ_ONLY' }, async () => {
    await assert.rejects(
      withWarehouse(file, async () => undefined),
      { code: 'WAREHOUSE_LOCKED', retryable: true },
    );
  });
  await withWarehouse(file, async () => undefined); // released: opens again
});

test('withWarehouseWhenFree waits for a reader in another process to let go, where withWarehouse gives up', async () => {
  const file = path.join(dir, 'waiting.duckdb');
  await withWarehouse(file, async () => undefined);
  // The child lets go of the file by itself, 800 ms after it took it.
  await whileHeldInChild(
    file,
    { access_mode: 'READ_ONLY' },
    async () => {
      await assert.rejects(
        withWarehouse(file, async () => undefined),
        { code: 'WAREHOUSE_LOCKED' },
      );
      const written = await withWarehouseWhenFree(
        file,
        async (warehouse) => (await warehouse.connection.runAndReadAll('select 42')).getRows()[0]![0],
      );
      assert.equal(written, 42);
    },
    800,
  );
});

/** Opens `file` in a child process, runs `work` while the child holds it, then ends the child. */
async function whileHeldInChild(
  file: string,
  options: Record<string, string>,
  work: () => Promise<void>,
  releaseAfterMs?: number,
): Promise<void> {
  const release = releaseAfterMs === undefined ? '' : `setTimeout(() => { instance.closeSync(); process.exit(0); }, ${releaseAfterMs});`;
  const code = `
    const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(${JSON.stringify(file)}, ${JSON.stringify(options)})
      .then((instance) => { console.log('holding'); setInterval(() => {}, 1000); ${release} }, (e) => { console.log('failed: ' + e.message); });`;
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    assert.match(chunk.toString(), /^holding/);
    await work();
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill();
      await exited;
    }
  }
}

async function runInChild(code: string): Promise<string> {
  const child = spawn(process.execPath, ['-e', code], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return output;
}

test('a writer killed while it creates the warehouse never leaves a file that cannot be opened', async () => {
  // The first open migrates a new file; a kill between the migrations' commit and the checkpoint used to leave a WAL
  // of schema changes that DuckDB cannot replay. Kill creators at spread-out moments; every file must open after.
  for (let attempt = 0; attempt < 8; attempt++) {
    const file = path.join(dir, `created-${attempt}.duckdb`);
    const code = `import(${JSON.stringify(path.resolve('load/warehouse.ts'))}).then(({ openWarehouse }) => openWarehouse(${JSON.stringify(file)})).then(() => console.log('opened'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: process.cwd(), stdio: 'ignore' });
    const exited = once(child, 'exit');
    await new Promise((resolve) => setTimeout(resolve, 600 + attempt * 150));
    child.kill('SIGKILL');
    await exited;
    const warehouse = await openWarehouse(file);
    try {
      assert.deepEqual(
        await appliedMigrations(warehouse.connection),
        (await listMigrations()).map(({ version, name }) => ({ version, name })),
      );
    } finally {
      warehouse.close();
    }
  }
});
