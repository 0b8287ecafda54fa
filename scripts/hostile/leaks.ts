/** Looks for the canary secret under a probe's data directory: in its files as bytes, in DuckDB files row by row. */
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const sql = (name: string) => readFileSync(new URL(`./${name}.sql`, import.meta.url), 'utf8');

/** The first place under `dataDir` holding `canary` (a file, or `<file> table <name>`), or null. */
export async function findCanary(dataDir: string, canary: string): Promise<string | null> {
  const files = (await readdir(dataDir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  for (const entry of files) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dataDir, file);
    if (file.endsWith('.duckdb')) {
      const table = await canaryTable(file, canary);
      if (table) return `data/${relative} table ${table}`;
    } else if (!file.endsWith('.duckdb.wal') && (await readFile(file)).includes(canary)) {
      return `data/${relative}`;
    }
  }
  return null;
}

/** Strings in DuckDB may be compressed on disk, so the file's bytes say nothing: each table is searched. */
async function canaryTable(file: string, canary: string): Promise<string | null> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const tables = (await connection.runAndReadAll(sql('canary-tables'))).getRowsJS().map((row) => String(row[0]));
    const statement = await connection.prepare(sql('canary-rows'));
    for (const table of tables) {
      statement.bind({ table, canary });
      const hits = (await statement.runAndReadAll()).getRowsJS()[0]![0];
      if (Number(hits) > 0) return table;
    }
    return null;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
