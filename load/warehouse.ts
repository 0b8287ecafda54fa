/**
 * Opening the DuckDB file for writing. Only one process may have the file open while a writer holds it, so
 * writers open it per unit of work (`withWarehouse`) and close it at once, letting readers in between jobs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { WarehouseLockedError, isLockError } from './errors.ts';
import { applyViews } from './apply-views.ts';
import { migrate } from './migrate.ts';
import { seedRegions } from './seed-regions.ts';

/** An open, migrated warehouse. Close it as soon as the work is done. */
export interface Warehouse {
  /** Resolved path of the DuckDB file. */
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Releases the file (idempotent). */
  close(): void;
}

/** Opens (creating it and its directory if needed) the DuckDB file at `file`, applies pending migrations and changed views. */
export async function openWarehouse(file: string): Promise<Warehouse> {
  const resolved = path.resolve(file);
  await mkdir(path.dirname(resolved), { recursive: true });
  if (!existsSync(resolved)) await createWarehouseFile(resolved);
  const instance = await createInstance(resolved, {}, 'read-write');
  const connection = await instance.connect();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    connection.closeSync();
    instance.closeSync();
  };
  try {
    const migrated = await migrate(connection);
    const viewsChanged = await applyViews(connection);
    const seeded = await seedRegions(connection);
    // Never leave schema changes in the WAL: DuckDB 1.5 cannot replay a WAL holding the migrations ("GetDefaultDatabase
    // with no default database set"), so a writer killed before closing would leave an unopenable file.
    // (Found by scripts/faults.ts.) Only after a change: most opens, one per load job, change nothing.
    if (migrated.length > 0 || viewsChanged || seeded > 0) await connection.run('checkpoint');
  } catch (error) {
    close();
    throw error;
  }
  return { path: resolved, connection, close };
}

/**
 * Builds a new warehouse beside `file` (every migration applied, regions seeded, checkpointed) and only then puts it
 * in place, without replacing a file another process made meanwhile. A writer killed while the first open migrates
 * would otherwise leave a WAL of schema changes that DuckDB 1.5 cannot replay (see openWarehouse): an unopenable
 * file. Migrations of an existing file (an upgrade) still run in place, once.
 */
async function createWarehouseFile(file: string): Promise<void> {
  const building = `${file}.new-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const instance = await createInstance(building, {}, 'read-write');
    const connection = await instance.connect();
    try {
      await migrate(connection);
      await applyViews(connection);
      await seedRegions(connection);
      await connection.run('checkpoint');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    await link(building, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } finally {
    await Promise.all([rm(building, { force: true }), rm(`${building}.wal`, { force: true })]);
  }
}

/**
 * Opens the warehouse, runs `fn`, and always closes it. Calls for the same file within this process run one
 * after another: two DuckDB instances on one file in one process must not write at once.
 */
export async function withWarehouse<T>(file: string, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  return serializeByFile(file, async () => {
    const warehouse = await openWarehouse(file);
    try {
      return await fn(warehouse);
    } finally {
      warehouse.close();
    }
  });
}

/**
 * Opens the file read-only, runs `fn`, and always closes it. No migrations: for readers that only look things up
 * (a crawl worker, an export, `yangguang sql` with its stricter `settings`), so that they never take the single
 * writer's lock.
 */
export async function withReadOnlyWarehouse<T>(
  file: string,
  fn: (warehouse: Warehouse) => Promise<T>,
  settings: Record<string, string> = { access_mode: 'READ_ONLY' },
): Promise<T> {
  const resolved = path.resolve(file);
  return serializeByFile(resolved, async () => {
    const instance = await createInstance(resolved, settings, 'read-only');
    const connection = await instance.connect();
    try {
      return await fn({ path: resolved, connection, close: () => {} });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
}

/** Opens a DuckDB instance, turning a lock conflict into a WarehouseLockedError (retryable). */
export async function createInstance(
  file: string,
  options: Record<string, string>,
  mode: 'read-write' | 'read-only',
): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(file, options);
  } catch (error) {
    throw isLockError(error) ? new WarehouseLockedError(file, mode, error) : error;
  }
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier call for the same file (resolved path) has settled. */
export async function serializeByFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const previous = queues.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  queues.set(key, current);
  try {
    return await current;
  } finally {
    if (queues.get(key) === current) queues.delete(key);
  }
}
