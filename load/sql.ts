/**
 * Read-only SQL on the warehouse for the console and the UI, with results as plain JSON-safe values, and three
 * ways to print them (table, CSV, JSON).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Table from 'cli-table3';
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';
import { QueryError, WarehouseError, WarehouseNotFoundError } from './errors.ts';
import { createInstance, serializeByFile } from './warehouse.ts';

/** A query's result: column names and rows of plain values (number, string, boolean, null, arrays, objects). */
export interface SqlResult {
  columns: string[];
  rows: unknown[][];
}

/**
 * Runs `sql` on the DuckDB file opened READ_ONLY, so any write fails with DuckDB's read-only error.
 * Throws WarehouseNotFoundError if the file does not exist, WarehouseLockedError if a writer holds it,
 * QueryError (DuckDB's message) if the query fails. BIGINT becomes a number when safe (else a string),
 * DECIMAL a number, DATE `YYYY-MM-DD`, timestamps ISO 8601 strings, JSON its parsed value.
 */
export async function runReadOnlySql(file: string, sql: string): Promise<SqlResult> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new WarehouseNotFoundError(resolved);
  return serializeByFile(resolved, async () => {
    const instance = await createInstance(resolved, { access_mode: 'READ_ONLY' }, 'read-only');
    try {
      const connection = await instance.connect();
      try {
        const reader = await connection.runAndReadAll(sql);
        const types = reader.columnTypes();
        const rows = reader.getRowsJS().map((row) => row.map((value, i) => toPlain(value, types[i])));
        return { columns: reader.columnNames(), rows };
      } finally {
        connection.closeSync();
      }
    } catch (error) {
      throw error instanceof WarehouseError ? error : new QueryError(error);
    } finally {
      instance.closeSync();
    }
  });
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
