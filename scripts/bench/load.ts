/**
 * Loader throughput: loadDocument (one transaction per report: document, sighting, report row, Appender for
 * cells and anomalies, plus the document's tables and text) over synthetic reports, against DuckDB's Appender
 * writing the same report_cells rows into a bare table, in the same run. Prints rows_per_s, appender_rows_per_s
 * and their ratio (how much of the raw Appender speed the loader keeps).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBDataChunkWriter, DuckDBInstance, JSToDuckDBValueConverter } from '@duckdb/node-api';
import type { FetchedDocument } from '../../shared/document.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import { loadDocument, withWarehouse, type LoadDocumentInput } from '../../load/index.ts';
import type { ParsedReport } from '../../transform/types.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const REPORTS = 300;
const CELLS = 200;

function syntheticInput(n: number): LoadDocumentInput {
  const sha256 = n.toString(16).padStart(64, '0');
  const fetched: FetchedDocument = {
    sourceId: `source-${n % 20}`, url: `http://127.0.0.1/${n}.html`, finalUrl: `http://127.0.0.1/${n}.html`, title: `report ${n}`,
    publishedAt: '2024-03-01', fetchedAt: '2024-03-02T00:00:00.000Z', status: 200, contentType: 'text/html', sha256,
    byteLength: 1000, archivePath: `data/raw/${sha256}`, etag: null, lastModified: null,
  };
  const extracted: ExtractedDocument = { sha256, format: 'html', extractorVersion: 'bench', title: null, pages: [{ number: 1, blocks: [] }], warnings: [] };
  const parsed: ParsedReport = {
    sha256,
    parserVersion: 'bench-1',
    meta: { isReport: true, title: `report ${n}`, year: 2020 + (n % 5), issuer: `issuer ${n}`, regionName: null, regionCode: null, level: 'county', format: '2021' },
    cells: Array.from({ length: CELLS }, (_, i) => ({
      key: `t3.row${i}.total`, value: i, provenance: { page: 1, table: 1, row: i, column: 7, raw: String(i) },
    })),
    anomalies: [],
  };
  return { fetched, extracted, parsed, runId: 'bench' };
}

/** report_cells rows of the same reports, for the bare Appender. */
function cellRows(inputs: LoadDocumentInput[]): Array<Array<string | number | null>> {
  return inputs.flatMap(({ parsed }) =>
    parsed.cells.map((c) => [`${parsed.sha256}:${parsed.parserVersion}`, c.key, c.value, 1, 1, c.provenance!.row!, 7, null, c.provenance!.raw]),
  );
}

export async function bench(): Promise<BenchFields> {
  const dir = await mkdtemp(path.join(tmpdir(), 'yangguang-bench-load-'));
  try {
    const inputs = Array.from({ length: REPORTS }, (_, n) => syntheticInput(n));
    const loader = await timed(() =>
      withWarehouse(path.join(dir, 'loader.duckdb'), async (warehouse) => {
        for (const input of inputs) await loadDocument(warehouse, input);
      }),
    );
    const rows = cellRows(inputs);
    const appender = await timed(() => appendBare(path.join(dir, 'bare.duckdb'), rows));
    const total = REPORTS * CELLS;
    const rowsPerSecond = perSecond(total, loader.seconds);
    const appenderPerSecond = perSecond(total, appender.seconds);
    return {
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
