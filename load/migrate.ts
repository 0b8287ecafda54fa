/**
 * Applies the numbered SQL files in load/migrations/ that the database has not seen yet, in order, each in its
 * own transaction, and records each in schema_migrations.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MigrationError } from './errors.ts';
import { inTransaction } from './queries.ts';

/** Where the migration files live: `NNNN-name.sql`. */
export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  file: string;
}

/** One applied migration, as recorded in schema_migrations. */
export interface AppliedMigration {
  version: number;
  name: string;
}

const MIGRATION_FILE = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** The migration files in `dir`, ordered by version; other files are ignored. */
export async function listMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => MIGRATION_FILE.test(file));
  return files
    .map((file) => {
      const [, version, name] = MIGRATION_FILE.exec(file)!;
      return { version: Number(version), name: name!, file: path.join(dir, file) };
    })
    .sort((a, b) => a.version - b.version);
}

/** Applies the pending migrations; returns those applied now (empty when the schema is current). */
export async function migrate(connection: DuckDBConnection, dir: string = MIGRATIONS_DIR): Promise<AppliedMigration[]> {
  await connection.run(
    `create table if not exists schema_migrations (
       version integer primary key, name varchar not null, applied_at timestamptz not null default now())`,
  );
  const done = new Set((await appliedMigrations(connection)).map((migration) => migration.version));
  const applied: AppliedMigration[] = [];
  for (const migration of await listMigrations(dir)) {
    if (done.has(migration.version)) continue;
    await applyMigration(connection, migration);
    applied.push({ version: migration.version, name: migration.name });
  }
  return applied;
}

/** The migrations recorded in the database, in order. */
export async function appliedMigrations(connection: DuckDBConnection): Promise<AppliedMigration[]> {
  const reader = await connection.runAndReadAll('select version, name from schema_migrations order by version');
  return reader.getRowObjectsJS().map((row) => ({ version: Number(row.version), name: String(row.name) }));
}

async function applyMigration(connection: DuckDBConnection, migration: Migration): Promise<void> {
  const sql = await readFile(migration.file, 'utf8');
  try {
    await inTransaction(connection, async () => {
      await connection.run(sql);
      await connection.run('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
    });
  } catch (error) {
    throw new MigrationError(path.basename(migration.file), error);
  }
}
