/**
 * Exports the warehouse's views as Parquet or CSV files partitioned by year (`<out>/<dataset>/year=2024/…`),
 * readable by the DuckDB CLI, pandas (pyarrow) and Polars. Runs on its own read-only connection with file
 * access enabled — never through the SQL console's restricted path.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { WarehouseNotFoundError } from './errors.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

export type ExportFormat = 'parquet' | 'csv';

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
export async function exportWarehouse(file: string, options: { format: ExportFormat; outDir: string }): Promise<ExportedDataset[]> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new WarehouseNotFoundError(resolved);
  const outDir = path.resolve(options.outDir);
  await mkdir(outDir, { recursive: true });
  return withReadOnlyWarehouse(resolved, async ({ connection }) => {
    const exported: ExportedDataset[] = [];
    for (const dataset of EXPORT_DATASETS) {
      const target = path.join(outDir, dataset.name + (dataset.partitioned ? '' : `.${options.format}`));
      await rm(target, { recursive: true, force: true });
      const copyOptions = [options.format === 'parquet' ? 'format parquet' : 'format csv, header true'];
      if (dataset.partitioned) copyOptions.push('partition_by (year)');
      const reader = await connection.runAndReadAll(`copy (${dataset.sql}) to ${quote(target)} (${copyOptions.join(', ')})`);
      exported.push({ name: dataset.name, path: target, rows: Number(reader.getRowsJS()[0]?.[0] ?? 0) });
    }
    return exported;
  });
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
