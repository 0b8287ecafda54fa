/** The load room's statements, read once from load/queries/*.sql (each file heads its parameters). */
import { readFileSync } from 'node:fs';
import {
  DuckDBDataChunkWriter,
  JSToDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
} from '@duckdb/node-api';

const QUERY_NAMES = [
  'upsert-run',
  'upsert-anomaly-review',
  'lookup-sighting',
  'last-source-health',
  'insert-portal-discoveries',
  'insert-portal-columns',
  'latest-portal-discoveries',
  'portal-status-counts',
  'portals-not-ok',
  'latest-portal-columns',
  'ui-recent-runs',
  'ui-failure-counts',
  'ui-source-health',
  'ui-failures',
  'ui-document',
  'ui-document-sightings',
  'ui-document-reports',
  'ui-document-ocr-figures',
  'ui-source',
  'ui-source-history',
  'ui-warehouse-health',
  'report-requests-by-province',
  'report-outcomes-by-year',
  'report-anomalies-by-source',
  'report-coverage',
  'report-totals',
  'archived-documents',
  'archived-parts',
  'table-exists',
  'run-source-flags',
  'latest-report-cells',
  'latest-report-figures',
  'insert-crawl-state',
  'prune-crawl-states',
  'latest-crawl-state',
  'upsert-source',
  'batch-staging',
  'batch-update-documents',
  'batch-insert-documents',
  'batch-insert-sightings',
  'batch-insert-sources',
  'batch-insert-parts',
  'batch-loaded-extractions',
  'batch-delete-replaced-content',
  'batch-insert-extractions',
  'batch-existing-reports',
  'batch-insert-reports',
  'batch-existing-failures',
  'batch-insert-failures',
] as const;
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
  await runPrepared(connection, query(name), params);
}

/**
 * Each connection's statements, prepared once: planning a statement costs more than running it for one row, and
 * the loader runs the same few statements for every document.
 */
const preparedByConnection = new WeakMap<DuckDBConnection, Map<string, Promise<DuckDBPreparedStatement>>>();

function prepared(connection: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let statements = preparedByConnection.get(connection);
  if (!statements) preparedByConnection.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    statements.set(sql, statement);
    statement.catch(() => statements.delete(sql)); // a statement that failed to prepare is prepared again next time
  }
  return statement;
}

/** Runs `sql` (a statement kept prepared for this connection) with positional or named parameters; reads the result. */
export async function runPrepared(
  connection: DuckDBConnection,
  sql: string,
  params: SqlParam[] | Record<string, SqlParam>,
): Promise<DuckDBResultReader> {
  const statement = await prepared(connection, sql);
  statement.bind(params);
  return statement.runAndReadAll();
}

/** Runs load/queries/<name>.sql as a script: its statements in order, without parameters (e.g. staging tables). */
export async function runScript(connection: DuckDBConnection, name: QueryName): Promise<void> {
  await connection.run(query(name));
}

/** Runs load/queries/<name>.sql (one statement without parameters) and returns its rows as objects. */
export async function readQuery<Row>(connection: DuckDBConnection, name: QueryName): Promise<Row[]> {
  const reader = await connection.runAndReadAll(query(name));
  return reader.getRowObjectsJS() as Row[];
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

/** Appends rows (in the table's column order) with the Appender; they join the connection's open transaction. */
export async function appendRows(connection: DuckDBConnection, table: string, rows: SqlParam[][]): Promise<number> {
  if (rows.length === 0) return 0;
  const appender = await connection.createAppender(table);
  try {
    const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
    for (const row of rows) writer.appendRow(row);
    writer.flush();
    appender.closeSync(); // flushes: constraint violations surface here or in flush()
  } catch (error) {
    appender.clear(); // drop unflushed rows so that closing cannot write them
    try {
      appender.closeSync();
    } catch {
      // already failing with `error`; the transaction is rolled back by the caller
    }
    throw error;
  }
  return rows.length;
}
