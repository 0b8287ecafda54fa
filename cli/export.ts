/** `yangguang export`: the warehouse's views as Parquet or CSV, partitioned by year. */
import type { Config } from '../config/config.ts';
import { exportWarehouse, type ExportFormat } from '../load/index.ts';

/** Exports to `outDir` and prints one line per dataset. */
export async function runExport(config: Config, options: { format: ExportFormat; out: string }): Promise<void> {
  const exported = await exportWarehouse(config.duckdbPath, { format: options.format, outDir: options.out });
  for (const dataset of exported) console.log(`${dataset.name}: ${dataset.rows} rows → ${dataset.path}`);
}
