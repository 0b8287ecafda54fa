/**
 * The views users query, each defined once in load/views/NN-name.sql with its COMMENT ON lines, applied after the
 * migrations in file-name order (a view comes after the views it reads). They are applied again whenever their text
 * changes — a checksum of every file is kept in schema_views — so an upgraded warehouse gets today's definitions and
 * an unchanged one is left alone (most opens, one per write window, change nothing).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MigrationError } from './errors.ts';
import { inTransaction, runPrepared } from './queries.ts';

/** Where the view files live: `NN-name.sql`. */
export const VIEWS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'views');

const VIEW_FILE = /^\d{2}-[a-z0-9-]+\.sql$/;

interface ViewFile {
  file: string;
  sql: string;
}

let cached: { files: ViewFile[]; checksum: string } | null = null;

/** The view files in application order, and a checksum of their names and text (read once per process). */
function viewFiles(): { files: ViewFile[]; checksum: string } {
  if (cached) return cached;
  const names = readdirSync(VIEWS_DIR)
    .filter((file) => VIEW_FILE.test(file))
    .sort();
  const files = names.map((file) => ({ file, sql: readFileSync(path.join(VIEWS_DIR, file), 'utf8') }));
  const hash = createHash('sha256');
  for (const { file, sql } of files) hash.update(`${file}\n${sql}\n`);
  cached = { files, checksum: hash.digest('hex') };
  return cached;
}

/**
 * Creates or replaces every view (and its comments) unless schema_views already records these definitions. Returns
 * whether it changed anything, so that the caller checkpoints (schema changes must not stay in the WAL).
 */
export async function applyViews(connection: DuckDBConnection): Promise<boolean> {
  await connection.run(
    `create table if not exists schema_views (checksum varchar not null, applied_at timestamptz not null default now())`,
  );
  const { files, checksum } = viewFiles();
  const recorded = await runPrepared(connection, 'select 1 from schema_views where checksum = $1', [checksum]);
  if (recorded.currentRowCount > 0) return false;
  await inTransaction(connection, async () => {
    for (const { file, sql } of files) {
      try {
        await connection.run(sql);
      } catch (error) {
        throw new MigrationError(`views/${file}`, error);
      }
    }
    await connection.run('delete from schema_views');
    await runPrepared(connection, 'insert into schema_views (checksum) values ($1)', [checksum]);
    await connection.run(
      `comment on table schema_views is 'The definitions of load/views/ applied to this warehouse (a checksum of every file): they are applied again when it differs.'`,
    );
  });
  return true;
}
