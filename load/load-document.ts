/**
 * Loads documents and their parses into the warehouse: a batch of them inside the single writer's window (see
 * batch.ts), set-based. Idempotent by document hash and parser version: loading the same parse again changes nothing
 * but the sighting; a new parser version adds a report beside the old.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FetchedDocument } from '../shared/document.ts';
import { pdfjsFallbackReason } from '../extract/pdf-page-text.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { ParsedReport } from '../transform/types.ts';
import type { BatchWriter } from './batch.ts';
import { LoadDocumentError, WarehouseError, causeMessage } from './errors.ts';
import { loadDocumentsContent } from './document-content.ts';
import { appendRows, inTransaction, readQuery, runQuery, runScript, type SqlParam } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** Everything known about one document when it reaches the loader. */
export interface LoadDocumentInput {
  fetched: FetchedDocument;
  extracted: ExtractedDocument;
  parsed: ParsedReport;
  runId: string;
}

export interface LoadDocumentResult {
  /** False when this report (document hash + parser version) was already loaded: nothing was written but the sighting. */
  loaded: boolean;
  /** `${sha256}:${parserVersion}` */
  reportId: string;
  /** Cells written now (0 when not loaded). */
  cells: number;
  /** Anomalies written now (0 when not loaded). */
  anomalies: number;
}

/** The reports.report_id of a parse. */
export function reportIdOf(parsed: Pick<ParsedReport, 'sha256' | 'parserVersion'>): string {
  return `${parsed.sha256}:${parsed.parserVersion}`;
}

/**
 * Loads one document in a transaction of its own: on any error nothing is written and a LoadDocumentError (with the
 * cause) is thrown. The loader writes batches (loadDocuments); this is the same for one.
 */
export async function loadDocument(warehouse: Warehouse, input: LoadDocumentInput): Promise<LoadDocumentResult> {
  checkLoadInput(input);
  try {
    const [result] = await inTransaction(warehouse.connection, () => loadDocuments(warehouse.connection, [input]));
    return result!;
  } catch (error) {
    if (error instanceof WarehouseError) throw error;
    throw new LoadDocumentError('LOAD_DOCUMENT_FAILED', input.fetched.sha256, causeMessage(error), error);
  }
}

/**
 * The documents' batch writer (see batch.ts): upserts the documents, records the sightings, the sources and the pages of
 * multi-page articles, writes each document's tables and text, and inserts the reports not loaded yet with their cells
 * and anomalies — in a few set-based statements for the whole batch, as if the documents were loaded one after the
 * other in the batch's order. Check each input with checkLoadInput first.
 */
export const loadDocuments: BatchWriter<LoadDocumentInput, LoadDocumentResult> = async (connection, inputs) => {
  await runScript(connection, 'batch-staging');
  await appendRows(connection, 'staged_documents', mergedDocumentRows(inputs));
  await runQuery(connection, 'batch-update-documents', {});
  await runQuery(connection, 'batch-insert-documents', {});
  await appendRows(
    connection,
    'staged_sightings',
    uniqueRows(inputs.map(sightingRow), (row) => [row[0], row[2], row[10]]),
  );
  await runQuery(connection, 'batch-insert-sightings', {});
  await runQuery(connection, 'batch-insert-sources', {});
  const parts = uniqueRows(
    inputs.flatMap(({ fetched }) => partRows(fetched)),
    (row) => [row[0], row[1]],
  );
  if (parts.length > 0) {
    await appendRows(connection, 'staged_parts', parts);
    await runQuery(connection, 'batch-insert-parts', {});
  }
  await loadDocumentsContent(
    connection,
    inputs.map((input) => input.extracted),
  );
  return loadReports(connection, inputs);
};

/** Inserts the reports not loaded before (each report id once, its first occurrence) with their cells and anomalies. */
async function loadReports(connection: DuckDBConnection, inputs: readonly LoadDocumentInput[]): Promise<LoadDocumentResult[]> {
  await appendRows(
    connection,
    'staged_reports',
    uniqueRows(inputs.map(reportRow), (row) => [row[0]]),
  );
  const existing = new Set((await readQuery<{ report_id: string }>(connection, 'batch-existing-reports')).map((row) => row.report_id));
  await runQuery(connection, 'batch-insert-reports', {});
  const cells: SqlParam[][] = [];
  const anomalies: SqlParam[][] = [];
  const results = inputs.map(({ parsed }) => {
    const reportId = reportIdOf(parsed);
    if (existing.has(reportId)) return { loaded: false, reportId, cells: 0, anomalies: 0 };
    existing.add(reportId); // a second copy in the same batch is already loaded by the first
    cells.push(...cellRows(parsed, reportId));
    anomalies.push(...anomalyRows(parsed, reportId));
    return { loaded: true, reportId, cells: parsed.cells.length, anomalies: parsed.anomalies.length };
  });
  await appendRows(connection, 'report_cells', cells);
  await appendRows(connection, 'anomalies', anomalies);
  return results;
}

/** Refuses inputs that would load inconsistent rows, before the write window opens (a LoadDocumentError). */
export function checkLoadInput({ fetched, extracted, parsed }: LoadDocumentInput): void {
  for (const [stage, sha256] of [
    ['extracted', extracted.sha256],
    ['parsed', parsed.sha256],
  ] as const) {
    if (sha256 !== fetched.sha256) {
      throw new LoadDocumentError('SHA256_MISMATCH', fetched.sha256, `the ${stage} document is ${sha256}, not the fetched one`);
    }
  }
  const seen = new Set<string>();
  for (const cell of parsed.cells) {
    if (seen.has(cell.key)) {
      throw new LoadDocumentError('DUPLICATE_CELL_KEY', fetched.sha256, `the parse has two cells with key ${cell.key}`);
    }
    seen.add(cell.key);
  }
}

/** Rows whose key (by `keyOf`) was not seen before in the list: the first occurrence wins, as it would one by one. */
function uniqueRows(rows: SqlParam[][], keyOf: (row: SqlParam[]) => unknown[]): SqlParam[][] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = JSON.stringify(keyOf(row));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One staged_documents row per document, as loading the batch's inputs one after the other would leave it: the last
 * input's format, size, extractor (and PDF engine) and archive path, the latest known content type and title, the
 * earliest sighting.
 */
function mergedDocumentRows(inputs: readonly LoadDocumentInput[]): SqlParam[][] {
  const merged = new Map<string, SqlParam[]>();
  for (const { fetched, extracted } of inputs) {
    const before = merged.get(fetched.sha256);
    const title = extracted.title ?? fetched.title;
    const earlier = before && Date.parse(String(before[7])) < Date.parse(fetched.fetchedAt);
    merged.set(fetched.sha256, [
      fetched.sha256,
      extracted.format,
      fetched.byteLength,
      fetched.contentType ?? before?.[3] ?? null,
      extracted.extractorVersion,
      title ?? before?.[5] ?? null,
      fetched.archivePath,
      earlier ? before[7]! : fetched.fetchedAt,
      extracted.engine ?? null,
      pdfjsFallbackReason(extracted),
    ]);
  }
  return [...merged.values()];
}

/** A staged_sightings row; its key is (sha256, url, run_id). */
function sightingRow({ fetched, runId }: LoadDocumentInput): SqlParam[] {
  return [
    fetched.sha256,
    fetched.sourceId,
    fetched.url,
    fetched.finalUrl,
    fetched.title,
    fetched.publishedAt,
    fetched.fetchedAt,
    fetched.status,
    fetched.etag,
    fetched.lastModified,
    runId,
  ];
}

/** The pages of a multi-page article, each traceable to its own archived bytes (none for a single page). */
function partRows(fetched: FetchedDocument): SqlParam[][] {
  return (fetched.parts ?? []).map((part, index) => [
    fetched.sha256,
    index + 1,
    part.url,
    part.sha256,
    part.byteLength,
    part.contentType,
    part.archivePath,
  ]);
}

/** A staged_reports row; its key is report_id. */
function reportRow({ fetched, extracted, parsed, runId }: LoadDocumentInput): SqlParam[] {
  const { meta } = parsed;
  return [
    reportIdOf(parsed),
    parsed.sha256,
    parsed.parserVersion,
    meta.isReport,
    meta.issuer,
    meta.regionName,
    meta.regionCode,
    meta.level,
    meta.year,
    meta.format,
    meta.title ?? extracted.title ?? fetched.title,
    fetched.sourceId,
    fetched.url,
    fetched.publishedAt,
    runId,
  ];
}

/** Rows in report_cells' column order. */
function cellRows(parsed: ParsedReport, reportId: string): SqlParam[][] {
  return parsed.cells.map(({ key, value, provenance: p }) => [
    reportId,
    key,
    value,
    p?.page ?? null,
    p?.table ?? null,
    p?.row ?? null,
    p?.column ?? null,
    p?.line ?? null,
    p?.raw ?? null,
  ]);
}

/** Rows in anomalies' column order. */
function anomalyRows(parsed: ParsedReport, reportId: string): SqlParam[][] {
  return parsed.anomalies.map((anomaly) => [
    reportId,
    anomaly.kind,
    anomaly.id,
    anomaly.identity ?? null,
    anomaly.expected ?? null,
    anomaly.found ?? null,
    anomaly.detail,
  ]);
}
