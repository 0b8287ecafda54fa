/**
 * Loader throughput: the single writer's write windows (load/batch.ts withWriteWindow with loadDocuments: batches of
 * loadBatchSize reports, each its own transaction, several in one open of the file while the window has room, as the
 * load worker writes a backlog) over simulated reports, against DuckDB's
 * Appender writing the same report_cells rows into a bare table, in the same run. Prints rows_per_s,
 * appender_rows_per_s and their ratio (how much of the raw Appender speed the loader keeps).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBDataChunkWriter, DuckDBInstance, JSToDuckDBValueConverter } from '@duckdb/node-api';
import { loadConfig } from '../../config/config.ts';
import { withWriteWindow } from '../../load/batch.ts';
import { syntheticReport } from '../../load/fixtures/synthetic-reports.ts';
import { loadDocuments, reportIdOf, type LoadDocumentInput } from '../../load/load-document.ts';
import { withWarehouse } from '../../load/warehouse.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const REPORTS = 2_000;
const CELLS = 200;

/** report_cells rows of the same reports, for the bare Appender. */
function cellRows(inputs: LoadDocumentInput[]): Array<Array<string | number | null>> {
  return inputs.flatMap(({ parsed }) =>
    parsed.cells.map((c) => [reportIdOf(parsed), c.key, c.value, 1, 0, c.provenance!.row!, 7, null, c.provenance!.raw!]),
  );
}

export async function bench(): Promise<BenchFields> {
  const dir = await mkdtemp(path.join(tmpdir(), 'yangguang-bench-load-'));
  try {
    const batchSize = loadConfig({ env: {} }).loadBatchSize;
    // The same rows as the Appender's: the cells, the report, its document and sighting — no tables or text.
    const inputs = Array.from({ length: REPORTS }, (_, n) =>
      syntheticReport(n, 'bench', path.join(dir, 'raw'), { cells: CELLS, lines: 0, tableRows: 0 }),
    );
    const file = path.join(dir, 'loader.duckdb');
    await withWarehouse(file, async () => undefined); // created and migrated before the clock starts, as a running loader finds it
    // As the load worker does with a backlog: batches of loadBatchSize, more of them in a window while it has room.
    let next = 0;
    let windows = 0;
    const loader = await timed(async () => {
      while (next < inputs.length) {
        windows += 1;
        await withWriteWindow(file, async (window) => {
          do {
            await window.write([{ items: inputs.slice(next, next + batchSize), write: loadDocuments }]);
            next += batchSize;
          } while (next < inputs.length && window.hasRoom());
        });
      }
    });
    const rows = cellRows(inputs);
    const appender = await timed(() => appendBare(path.join(dir, 'bare.duckdb'), rows));
    const total = REPORTS * CELLS;
    const rowsPerSecond = perSecond(total, loader.seconds);
    const appenderPerSecond = perSecond(total, appender.seconds);
    return {
      reports: REPORTS,
      batch: batchSize,
      windows,
      reports_per_s: Math.round(perSecond(REPORTS, loader.seconds)),
      rows_per_s: Math.round(rowsPerSecond),
      appender_rows_per_s: Math.round(appenderPerSecond),
      ratio: appenderPerSecond > 0 ? rowsPerSecond / appenderPerSecond : 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function appendBare(file: string, rows: Array<Array<string | number | null>>): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    await connection.run(
      `create table report_cells (report_id varchar not null, key varchar not null, value double, page integer, table_index integer,
         row_index integer, column_index integer, line_index integer, raw varchar, primary key (report_id, key))`,
    );
    const appender = await connection.createAppender('report_cells');
    const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
    for (const row of rows) writer.appendRow(row);
    writer.flush();
    appender.closeSync();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
