/**
 * Loads one document and its parse into the warehouse, in one transaction. Idempotent by document hash and
 * parser version: loading the same parse again changes nothing; a new parser version adds a report beside the old.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { FetchedDocument } from '../shared/document.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { ParsedReport } from '../transform/types.ts';
import { LoadDocumentError, WarehouseError, causeMessage } from './errors.ts';
import { loadDocumentContent } from './document-content.ts';
import { appendRows, inTransaction, query, runPrepared, runQuery, type SqlParam } from './queries.ts';
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
 * Upserts the document, records the sighting, and, if this report is new, inserts it with its cells and anomalies.
 * One transaction: on any error nothing is written and a LoadDocumentError (with the cause) is thrown.
 */
export async function loadDocument(warehouse: Warehouse, input: LoadDocumentInput): Promise<LoadDocumentResult> {
  checkInput(input);
  const reportId = reportIdOf(input.parsed);
  const { connection } = warehouse;
  try {
    return await inTransaction(connection, async () => {
      await upsertDocument(connection, input);
      await runQuery(connection, 'insert-sighting', sightingParams(input));
      await runPrepared(
        connection,
        'insert into sources (source_id) select $1 where not exists (select 1 from sources where source_id = $1)',
        [input.fetched.sourceId],
      );
      await insertParts(connection, input.fetched);
      await loadDocumentContent(connection, input.extracted);
      if (await reportExists(connection, reportId)) return { loaded: false, reportId, cells: 0, anomalies: 0 };
      await runQuery(connection, 'insert-report', reportParams(input, reportId));
      const cells = await appendRows(connection, 'report_cells', cellRows(input.parsed, reportId));
      const anomalies = await appendRows(connection, 'anomalies', anomalyRows(input.parsed, reportId));
      return { loaded: true, reportId, cells, anomalies };
    });
  } catch (error) {
    if (error instanceof WarehouseError) throw error;
    throw new LoadDocumentError('LOAD_DOCUMENT_FAILED', input.fetched.sha256, causeMessage(error), error);
  }
}

/** Refuses inputs that would load inconsistent rows, before anything is written. */
function checkInput({ fetched, extracted, parsed }: LoadDocumentInput): void {
  for (const [stage, sha256] of [['extracted', extracted.sha256], ['parsed', parsed.sha256]] as const) {
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

/** Updates the document's row, or inserts it when there is none. */
async function upsertDocument(connection: DuckDBConnection, input: LoadDocumentInput): Promise<void> {
  const params = documentParams(input);
  const updated = await runPrepared(connection, query('update-document'), params);
  if (updated.currentRowCount === 0) await runQuery(connection, 'insert-document', params);
}

function documentParams({ fetched, extracted }: LoadDocumentInput): Record<string, SqlParam> {
  return {
    sha256: fetched.sha256,
    format: extracted.format,
    byte_length: fetched.byteLength,
    content_type: fetched.contentType,
    extractor_version: extracted.extractorVersion,
    title: extracted.title ?? fetched.title,
    archive_path: fetched.archivePath,
    fetched_at: fetched.fetchedAt,
  };
}

function sightingParams({ fetched, runId }: LoadDocumentInput): Record<string, SqlParam> {
  return {
    sha256: fetched.sha256,
    source_id: fetched.sourceId,
    url: fetched.url,
    final_url: fetched.finalUrl,
    title: fetched.title,
    published_at: fetched.publishedAt,
    fetched_at: fetched.fetchedAt,
    status: fetched.status,
    etag: fetched.etag,
    last_modified: fetched.lastModified,
    run_id: runId,
  };
}

function reportParams({ fetched, extracted, parsed, runId }: LoadDocumentInput, reportId: string): Record<string, SqlParam> {
  const { meta } = parsed;
  return {
    report_id: reportId,
    sha256: parsed.sha256,
    parser_version: parsed.parserVersion,
    is_report: meta.isReport,
    issuer: meta.issuer,
    region_name: meta.regionName,
    region_code: meta.regionCode,
    level: meta.level,
    year: meta.year,
    format: meta.format,
    title: meta.title ?? extracted.title ?? fetched.title,
    source_id: fetched.sourceId,
    url: fetched.url,
    published_at: fetched.publishedAt,
    run_id: runId,
  };
}

/** The pages of a multi-page article, each traceable to its own archived bytes (none for a single page). */
async function insertParts(connection: DuckDBConnection, fetched: FetchedDocument): Promise<void> {
  for (const [index, part] of (fetched.parts ?? []).entries()) {
    await runPrepared(
      connection,
      `insert into document_parts (sha256, part, url, part_sha256, byte_length, content_type, archive_path)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [fetched.sha256, index + 1, part.url, part.sha256, part.byteLength, part.contentType, part.archivePath],
    );
  }
}

async function reportExists(connection: DuckDBConnection, reportId: string): Promise<boolean> {
  const reader = await runPrepared(connection, 'select 1 from reports where report_id = $1', [reportId]);
  return reader.currentRowCount > 0;
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
