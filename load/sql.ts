/**
 * Read-only SQL on the warehouse for the console and the UI, with results as plain JSON-safe values, and three
 * ways to print them (table, CSV, JSON).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import {
  DuckDBTypeId,
  StatementType,
  type DuckDBConnection,
  type DuckDBExtractedStatements,
  type DuckDBPreparedStatement,
  type DuckDBResultReader,
  type DuckDBType,
} from '@duckdb/node-api';
import { QueryError, SqlRefusedError, WarehouseError, WarehouseNotFoundError, causeMessage } from './errors.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

/** A query's result: column names and rows of plain values (number, string, boolean, null, arrays, objects). */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * DuckDB settings of the console's instance: read-only, no file system beyond the database itself, no
 * extension installs or autoloads, and locked so that a query cannot `SET` its way out.
 */
export const SAFE_SQL_SETTINGS: Readonly<Record<string, string>> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  lock_configuration: 'true',
};

/**
 * Runs `sql` (one or more statements; the last one's result is returned) on the DuckDB file opened with
 * SAFE_SQL_SETTINGS. Only queries are accepted (SELECT, FROM, WITH, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA,
 * CALL); COPY, ATTACH, INSTALL, LOAD, SET, EXPORT and any file access throw SqlRefusedError, writes DuckDB's
 * read-only error (as QueryError). Throws WarehouseNotFoundError if the file does not exist,
 * WarehouseLockedError if a writer holds it. BIGINT becomes a number when safe (else a string), DECIMAL a
 * number, DATE `YYYY-MM-DD`, timestamps ISO 8601 strings, JSON its parsed value.
 */
export async function runReadOnlySql(file: string, sql: string): Promise<SqlResult> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new WarehouseNotFoundError(resolved);
  try {
    return await withReadOnlyWarehouse(resolved, ({ connection }) => runCheckedStatements(connection, sql), { ...SAFE_SQL_SETTINGS });
  } catch (error) {
    throw error instanceof WarehouseError ? error : new QueryError(error);
  }
}

/** Prepares every statement first (so a refused one runs none), then runs them in order. */
async function runCheckedStatements(connection: DuckDBConnection, sql: string): Promise<SqlResult> {
  const extracted = await connection.extractStatements(sql);
  const statements: DuckDBPreparedStatement[] = [];
  for (let i = 0; i < extracted.count; i += 1) statements.push(await prepareChecked(extracted, i));
  if (statements.length === 0) return { columns: [], rows: [] };
  let reader: DuckDBResultReader | undefined;
  for (const statement of statements) reader = await statement.runAndReadAll();
  const last = reader!;
  const types = last.columnTypes();
  const rows = last.getRowsJS().map((row) => row.map((value, i) => toPlain(value, types[i])));
  return { columns: last.columnNames(), rows };
}

async function prepareChecked(extracted: DuckDBExtractedStatements, index: number): Promise<DuckDBPreparedStatement> {
  let statement: DuckDBPreparedStatement;
  try {
    statement = await extracted.prepare(index);
  } catch (error) {
    if (/^Permission Error/.test(causeMessage(error))) throw new SqlRefusedError(refusalOf(error), error);
    throw error;
  }
  const type = statement.statementType;
  if (!QUERY_TYPES.has(type)) throw new SqlRefusedError(refusalOfType(type));
  return statement;
}

/** Statement types that only read. DESCRIBE, SHOW, SUMMARIZE and most PRAGMAs prepare as SELECT. */
const QUERY_TYPES = new Set<StatementType>([StatementType.SELECT, StatementType.EXPLAIN, StatementType.PRAGMA, StatementType.CALL]);

function refusalOfType(type: StatementType): string {
  const name = StatementType[type] ?? String(type);
  const why: Partial<Record<StatementType, string>> = {
    [StatementType.COPY]: 'COPY writes or reads files; use `yangguang export` to write Parquet or CSV',
    [StatementType.COPY_DATABASE]: 'COPY writes files; use `yangguang export`',
    [StatementType.EXPORT]: 'EXPORT DATABASE writes files; use `yangguang export`',
    [StatementType.ATTACH]: 'ATTACH opens other database files',
    [StatementType.DETACH]: 'DETACH changes the attached databases',
    [StatementType.LOAD]: 'INSTALL and LOAD add extensions',
    [StatementType.EXTENSION]: 'extensions cannot be managed here',
    [StatementType.SET]: 'settings are locked',
    [StatementType.VARIABLE_SET]: 'settings are locked',
  };
  return `${name} statements are refused: ${why[type] ?? 'the SQL console only runs queries (SELECT, WITH, DESCRIBE, SHOW, EXPLAIN)'}`;
}

function refusalOf(error: unknown): string {
  const detail = causeMessage(error).split('\n')[0];
  return `file and network access is disabled in the SQL console (no read_csv, COPY, ATTACH or EXPORT of files; use \`yangguang export\` to write Parquet or CSV) — ${detail}`;
}

/** Converts one value as read by DuckDB's JS converter into a JSON-safe one, guided by its column type. */
function toPlain(value: unknown, type: DuckDBType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type?.typeId === DuckDBTypeId.DATE && value instanceof Date) return value.toISOString().slice(0, 10);
  if (type?.alias === 'JSON' && typeof value === 'string') return parseJson(value);
  return plainValue(value);
}

/** bigint → number when safe, else string; Date → ISO string; nested lists and structs likewise. */
function plainValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainValue(inner)]));
  }
  return value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Text of a value for table and CSV output: NULL stays distinguishable from an empty string in tables. */
function cellText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A boxed text table (cli-table3); NULL is printed as `NULL`, so a blank figure never looks like 0 or ''. */
export function formatTable(result: SqlResult): string {
  const table = new Table({ head: result.columns, style: { head: [], border: [] } });
  for (const row of result.rows) table.push(row.map((value) => cellText(value, 'NULL')));
  return `${table.toString()}\n(${result.rows.length} ${result.rows.length === 1 ? 'row' : 'rows'})`;
}

/** CSV per RFC 4180: a header line, CRLF line ends, fields with `,` `"` CR or LF quoted, `"` doubled; NULL is empty. */
export function formatCsv(result: SqlResult): string {
  const line = (fields: unknown[]) => fields.map((field) => csvField(cellText(field, ''))).join(',');
  return [line(result.columns), ...result.rows.map(line)].join('\r\n');
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A JSON array of row objects keyed by column name, pretty-printed. */
export function formatJson(result: SqlResult): string {
  const objects = result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i] ?? null])));
  return JSON.stringify(objects, null, 2);
}
