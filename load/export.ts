/**
 * Exports the warehouse's views as Parquet or CSV files partitioned by year (`<out>/<dataset>/year=2024/…`),
 * readable by the DuckDB CLI, pandas (pyarrow) and Polars. Runs on its own read-only connection with file
 * access enabled — never through the SQL console's restricted path.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { WarehouseNotFoundError } from './errors.ts';
import { withReader, type ReaderLimits } from './reader.ts';

export type ExportFormat = 'parquet' | 'csv';

export interface ExportOptions {
  format: ExportFormat;
  outDir: string;
  /** The reader limits of its statements (time and memory); default DEFAULT_READER_LIMITS. */
  limits?: ReaderLimits;
  /** CSV with a UTF-8 byte order mark for Excel (implies csv). */
  excel?: boolean;
}

/** What is exported: a dataset name (its folder) and the query behind it; all but `regions` have a year. */
export const EXPORT_DATASETS: ReadonlyArray<{ name: string; sql: string; partitioned: boolean }> = [
  { name: 'report_summary', sql: 'select * from report_summary', partitioned: true },
  { name: 'report_cells', sql: 'select * from traced_cells', partitioned: true },
  { name: 'table3_wide', sql: 'select * from table3_wide', partitioned: true },
  { name: 'anomalies', sql: 'select * from anomaly_review', partitioned: true },
  { name: 'report_revisions', sql: 'select * from report_revisions', partitioned: true },
  { name: 'region_year_rollup', sql: 'select * from region_year_rollup', partitioned: true },
  { name: 'regions', sql: 'select * from regions', partitioned: false },
];

/** One exported dataset: where it went and how many rows it holds. */
export interface ExportedDataset {
  name: string;
  path: string;
  rows: number;
}

/**
 * Writes every EXPORT_DATASETS entry under `outDir` (replacing an earlier export of the same dataset).
 * Throws WarehouseNotFoundError if the file does not exist, WarehouseLockedError if a writer holds it.
 */
export async function exportWarehouse(file: string, options: ExportOptions): Promise<ExportedDataset[]> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new WarehouseNotFoundError(resolved);
  const outDir = path.resolve(options.outDir);
  const format = options.excel ? 'csv' : options.format;
  await mkdir(outDir, { recursive: true });
  const exported = await withReader(
    resolved,
    async (connection) => {
      const written: ExportedDataset[] = [];
      for (const dataset of EXPORT_DATASETS) {
        const target = path.join(outDir, dataset.name + (dataset.partitioned ? '' : `.${format}`));
        await rm(target, { recursive: true, force: true });
        const copyOptions = [format === 'parquet' ? 'format parquet' : 'format csv, header true'];
        // The year stays inside each file too: a file read on its own (or by pandas, which makes the folder's year a category) still has it.
        if (dataset.partitioned) copyOptions.push('partition_by (year)', 'write_partition_columns true');
        const sql = await withWholeCounts(connection, dataset.sql);
        const reader = await connection.runAndReadAll(`copy (${sql}) to ${quote(target)} (${copyOptions.join(', ')})`);
        written.push({ name: dataset.name, path: target, rows: Number(reader.getRowsJS()[0]?.[0] ?? 0) });
      }
      return written;
    },
    { fileAccess: true, lockWaitMs: 10_000, ...(options.limits ? { limits: options.limits } : {}) },
  );
  if (options.excel) for (const dataset of exported) await addByteOrderMarks(dataset.path);
  return exported;
}

/** Columns that hold fractions by nature, kept as they are. */
const FRACTION_COLUMN = /(rate|share|ratio|median|avg|mean)/i;

/**
 * The query with each floating-point column whose values are all whole cast to BIGINT: figures are counts, stored as
 * DOUBLE (a blank is NULL), and would otherwise be written `859.0` and read as float64. A column with a fraction in
 * it (a misprint kept as printed) stays as it is, so that nothing is rounded away.
 */
async function withWholeCounts(connection: DuckDBConnection, sql: string): Promise<string> {
  const described = (await connection.runAndReadAll(`describe (${sql})`)).getRowsJS();
  const floating = described
    .map(([name, type]) => ({ name: String(name), type: String(type) }))
    .filter((column) => /^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(column.type) && !FRACTION_COLUMN.test(column.name));
  if (floating.length === 0) return sql;
  const checks = floating.map((column) => `coalesce(bool_and(${ident(column.name)} = trunc(${ident(column.name)})), true)`).join(', ');
  const [whole = []] = (await connection.runAndReadAll(`select ${checks} from (${sql})`)).getRowsJS();
  const casts = floating
    .filter((_, index) => whole[index] === true)
    .map((column) => `cast(${ident(column.name)} as bigint) as ${ident(column.name)}`);
  return casts.length === 0 ? sql : `select * replace (${casts.join(', ')}) from (${sql})`;
}

/** Puts a UTF-8 byte order mark before every CSV file under `target` (a file or a folder), so that Excel reads UTF-8. */
async function addByteOrderMarks(target: string): Promise<void> {
  const files = target.endsWith('.csv')
    ? [target]
    : (await readdir(target, { recursive: true })).map((name) => path.join(target, name)).filter((name) => name.endsWith('.csv'));
  for (const file of files) {
    const temporary = `${file}.bom`;
    const out = createWriteStream(temporary);
    out.write('\uFEFF');
    await pipeline(createReadStream(file), out);
    await rename(temporary, file);
  }
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
