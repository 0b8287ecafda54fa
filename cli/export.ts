/** `yangguang export`: the warehouse's views as Parquet or CSV, partitioned by year. */
import type { Config } from '../config/config.ts';
import { exportWarehouse, type ExportFormat } from '../load/index.ts';

/** Exports to `outDir` and prints one line per dataset; `excel` writes CSV with a UTF-8 byte order mark. */
export async function runExport(config: Config, options: { format: ExportFormat; out: string; excel?: boolean }): Promise<void> {
  const limits = { timeoutSecs: config.readerTimeoutSecs, memoryLimitMb: config.readerMemoryLimitMb };
  const exported = await exportWarehouse(config.duckdbPath, {
    format: options.format,
    outDir: options.out,
    limits,
    ...(options.excel ? { excel: true } : {}),
  });
  for (const dataset of exported) console.log(`${dataset.name}: ${dataset.rows} rows → ${dataset.path}`);
}
