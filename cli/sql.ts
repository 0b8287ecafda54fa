/** `yangguang sql`: read-only SQL on the warehouse. */
import { existsSync } from 'node:fs';
import type { Config } from '../config/config.ts';
import { formatCsv, formatJson, formatTable, runReadOnlySql } from '../load/index.ts';

export type OutputFormat = 'table' | 'csv' | 'json';

const formatters = { table: formatTable, csv: formatCsv, json: formatJson } as const;

export async function runSql(config: Config, query: string, format: OutputFormat): Promise<void> {
  if (!existsSync(config.duckdbPath)) {
    throw new Error(`no DuckDB file at ${config.duckdbPath} yet: run \`yangguang demo\` or a crawl first`);
  }
  const result = await runReadOnlySql(config.duckdbPath, query);
  console.log(formatters[format](result));
}
