/** `yangguang report --out report.html`: a self-contained page of charts over the warehouse. */
import type { Config } from '../config/config.ts';
import { writeReportPage } from '../load/index.ts';

/** Writes the page and says where. */
export async function runReport(config: Config, options: { out: string }): Promise<void> {
  const file = await writeReportPage(config.duckdbPath, options.out, { catalogFile: config.catalogFile, timezone: config.timezone });
  console.log(`report written to ${file}`);
}
