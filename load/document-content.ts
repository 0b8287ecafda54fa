/**
 * Every table and every line of text of a document, statutory or not, into doc_tables, doc_table_cells and
 * document_text — so that what the parser did not read can still be queried and every provenance slot resolved —
 * and, for tables read from images, each cell's OCR box and confidence into doc_cell_ocr.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExtractedDocument, OcrReading, TableBlock } from '../extract/types.ts';
import { appendRows, readQuery, runQuery, runScript, type SqlParam } from './queries.ts';

/**
 * Writes the tables and text of the batch's documents unless that extraction (sha256 + extractor version) is loaded
 * already; a newer extraction replaces the older one's rows. A document twice in the batch is written as its last
 * extraction. Runs in the caller's transaction, after staged_documents holds the batch's documents (see
 * load-document.ts). Returns the hashes whose content it wrote.
 */
export async function loadDocumentsContent(connection: DuckDBConnection, extractions: readonly ExtractedDocument[]): Promise<Set<string>> {
  const latest = new Map<string, ExtractedDocument>();
  for (const extracted of extractions) latest.set(extracted.sha256, extracted);
  const loaded = new Map(
    (await readQuery<{ sha256: string; extractor_version: string }>(connection, 'batch-loaded-extractions')).map((row) => [
      row.sha256,
      row.extractor_version,
    ]),
  );
  const tables: SqlParam[][] = [];
  const cells: SqlParam[][] = [];
  const lines: SqlParam[][] = [];
  const ocr: SqlParam[][] = [];
  const staged: SqlParam[][] = [];
  for (const extracted of latest.values()) {
    const loadedVersion = loaded.get(extracted.sha256);
    if (loadedVersion === extracted.extractorVersion) continue;
    const rows = contentRows(extracted);
    tables.push(...rows.tables);
    cells.push(...rows.cells);
    lines.push(...rows.lines);
    ocr.push(...rows.ocr);
    staged.push([
      extracted.sha256,
      extracted.extractorVersion,
      extracted.pages.length,
      rows.tables.length,
      rows.lines.length,
      loadedVersion !== undefined,
    ]);
  }
  if (staged.length === 0) return new Set();
  await appendRows(connection, 'staged_extractions', staged);
  if (staged.some((row) => row[5] === true)) await runScript(connection, 'batch-delete-replaced-content');
  await appendRows(connection, 'doc_tables', tables);
  await appendRows(connection, 'doc_table_cells', cells);
  await appendRows(connection, 'document_text', lines);
  await appendRows(connection, 'doc_cell_ocr', ocr);
  await runQuery(connection, 'batch-insert-extractions', {});
  return new Set(staged.map((row) => row[0] as string));
}

interface ContentRows {
  tables: SqlParam[][];
  cells: SqlParam[][];
  lines: SqlParam[][];
  ocr: SqlParam[][];
}

/** Rows of doc_tables, doc_table_cells, document_text and doc_cell_ocr, in their column order. */
function contentRows(doc: ExtractedDocument): ContentRows {
  const tables: SqlParam[][] = [];
  const cells: SqlParam[][] = [];
  const lines: SqlParam[][] = [];
  const ocr: SqlParam[][] = [];
  for (const page of doc.pages) {
    page.blocks.forEach((block, blockIndex) => {
      if (block.kind === 'line') {
        lines.push([doc.sha256, page.number, blockIndex, block.text]);
        return;
      }
      tables.push(tableRow(doc.sha256, page.number, block));
      block.rows.forEach((row, rowIndex) =>
        row.forEach((cell, columnIndex) => {
          cells.push([doc.sha256, block.index, rowIndex, columnIndex, cell.text, cell.spanned === true]);
          if (cell.ocr) ocr.push([doc.sha256, block.index, rowIndex, columnIndex, ...ocrColumns(cell.ocr)]);
        }),
      );
    });
  }
  return { tables, cells, lines, ocr };
}

/** doc_cell_ocr's columns after the slot: page, box, confidence, pass, alternatives, raw. */
function ocrColumns(reading: OcrReading): SqlParam[] {
  const { page, x, y, width, height } = reading.box;
  return [page, x, y, width, height, reading.confidence, reading.pass, reading.alternatives?.join(' | ') ?? null, reading.raw ?? null];
}

function tableRow(sha256: string, page: number, table: TableBlock): SqlParam[] {
  const columns = Math.max(0, ...table.rows.map((row) => row.length));
  return [sha256, table.index, page, table.origin, table.rows.length, columns];
}
