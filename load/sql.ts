/**
 * Read-only SQL on the warehouse for the console and the UI, with results as plain JSON-safe values, and three
 * ways to print them (table, CSV, JSON).
 */
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
import { EmptySqlError, QueryError, SqlRefusedError, causeMessage } from './errors.ts';
import { query, type QueryName, type SqlParam } from './queries.ts';
import { SAFE_SQL_SETTINGS, withReader, type ReaderLimits } from './reader.ts';

export { SAFE_SQL_SETTINGS };

/** A query's result: column names and rows of plain values (number, string, boolean, null, arrays, objects). */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/** How a read may run: the reader limits (default DEFAULT_READER_LIMITS) and how long to wait for the loader. */
export interface ReadOptions {
  limits?: ReaderLimits;
  /** How long to wait while the loader holds the file, in ms; default 0 (throw WarehouseLockedError at once). */
  lockWaitMs?: number;
}

/**
 * Runs `sql` (one or more statements; the last one's result is returned) on the DuckDB file opened by withReader
 * (load/reader.ts) with SAFE_SQL_SETTINGS and the reader limits. Only queries are accepted (SELECT, FROM, WITH,
 * DESCRIBE, SHOW, SUMMARIZE, EXPLAIN, PRAGMA, CALL); COPY, ATTACH, INSTALL, LOAD, SET, EXPORT and any file access
 * (read_csv, read_parquet, glob, a file name as a table …) throw SqlRefusedError with one wording, writes DuckDB's
 * read-only error (as QueryError), no statement at all EmptySqlError, a query past its time QueryTimeoutError.
 * Throws WarehouseNotFoundError if the file does not exist, WarehouseLockedError if a writer holds it. BIGINT becomes
 * a number when safe (else a string), DECIMAL a number, DATE `YYYY-MM-DD`, timestamps ISO 8601 strings, JSON its
 * parsed value.
 */
export async function runReadOnlySql(file: string, sql: string, options: ReadOptions = {}): Promise<SqlResult> {
  if (isEmptySql(sql)) throw new EmptySqlError();
  return withReader(file, (connection) => runCheckedStatements(connection, sql), readerOptions(options));
}

/**
 * Runs the named query load/queries/<name>.sql with named parameters, read-only as runReadOnlySql, waiting up to
 * 10 s while the loader writes. For the project's own reads (status, demo, reprocess): their SQL lives in files.
 */
export async function runNamedReadOnlyQuery(file: string, name: QueryName, params: Record<string, SqlParam> = {}): Promise<SqlResult> {
  return withReader(
    file,
    async (connection) => {
      const statement = await connection.prepare(query(name));
      statement.bind(params);
      return plainResult(await statement.runAndReadAll());
    },
    { lockWaitMs: 10_000 },
  );
}

function readerOptions(options: ReadOptions) {
  return { lockWaitMs: options.lockWaitMs ?? 0, ...(options.limits ? { limits: options.limits } : {}) };
}

/** True when `sql` holds no statement: only blanks, semicolons and comments. */
function isEmptySql(sql: string): boolean {
  return (
    sql
      .replace(/--[^\n]*/g, '')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/[\s;]+/g, '') === ''
  );
}

/** Prepares every statement first (so a refused one runs none), then runs them in order. */
async function runCheckedStatements(connection: DuckDBConnection, sql: string): Promise<SqlResult> {
  const extracted = await connection.extractStatements(sql);
  const statements: DuckDBPreparedStatement[] = [];
  for (let i = 0; i < extracted.count; i += 1) statements.push(await prepareChecked(extracted, i));
  if (statements.length === 0) return { columns: [], rows: [] };
  let reader: DuckDBResultReader | undefined;
  for (const statement of statements) reader = await refusingFileAccess(() => statement.runAndReadAll());
  return plainResult(reader!);
}

/** A result's columns and rows as JSON-safe values. */
function plainResult(reader: DuckDBResultReader): SqlResult {
  const types = reader.columnTypes();
  const rows = reader.getRowsJS().map((row) => row.map((value, i) => toPlain(value, types[i])));
  return { columns: reader.columnNames(), rows };
}

async function prepareChecked(extracted: DuckDBExtractedStatements, index: number): Promise<DuckDBPreparedStatement> {
  const statement = await refusingFileAccess(() => extracted.prepare(index));
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

/**
 * Runs `step`, turning DuckDB's refusals of file access — whether it refuses while planning (read_csv, glob …) or while
 * running (sniff_csv …), or finds no table by a file's name (`from '/etc/passwd'`) — into one SqlRefusedError.
 */
async function refusingFileAccess<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const message = causeMessage(error);
    if (/^Permission Error/.test(message) || /^Catalog Error: Table with name [^ ]*[\/.][^ ]* does not exist/.test(message)) {
      throw new SqlRefusedError(refusalOf(error), error);
    }
    throw error;
  }
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
