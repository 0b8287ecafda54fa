/** The load room's statements, read once from load/queries/*.sql (each file heads its parameters). */
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';

const QUERY_NAMES = ['upsert-document', 'insert-sighting', 'insert-report', 'upsert-run', 'insert-failure'] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

const cache = new Map<QueryName, string>();

/** The text of load/queries/<name>.sql. */
export function query(name: QueryName): string {
  let sql = cache.get(name);
  if (sql === undefined) {
    sql = readFileSync(new URL(`./queries/${name}.sql`, import.meta.url), 'utf8');
    cache.set(name, sql);
  }
  return sql;
}

/** A named parameter's value: what DuckDB can infer a type for from plain JS. */
export type SqlParam = string | number | boolean | null;

/** Runs load/queries/<name>.sql with named parameters. */
export async function runQuery(connection: DuckDBConnection, name: QueryName, params: Record<string, SqlParam>): Promise<void> {
  await connection.run(query(name), params);
}

/** Runs `work` in one transaction: committed if it resolves, rolled back (and the error rethrown) if not. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('begin transaction');
  try {
    const result = await work();
    await connection.run('commit');
    return result;
  } catch (error) {
    await connection.run('rollback');
    throw error;
  }
}
