/**
 * Every table and every line of text of a document, statutory or not, into doc_tables, doc_table_cells and
 * document_text — so that what the parser did not read can still be queried and every provenance slot resolved.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ExtractedDocument, TableBlock } from '../extract/types.ts';
import { appendRows, runPrepared, type SqlParam } from './queries.ts';

/**
 * Writes the document's tables and text unless this extraction (sha256 + extractor version) is already loaded;
 * a newer extraction replaces the older one's rows. Runs in the caller's transaction.
 */
export async function loadDocumentContent(connection: DuckDBConnection, extracted: ExtractedDocument): Promise<boolean> {
  const current = await runPrepared(connection, 'select extractor_version from document_extractions where sha256 = $1', [
    extracted.sha256,
  ]);
  const loadedVersion = current.getRowObjectsJS()[0]?.extractor_version;
  if (loadedVersion === extracted.extractorVersion) return false;
  if (loadedVersion !== undefined) await deleteContent(connection, extracted.sha256);
  const { tables, cells, lines } = contentRows(extracted);
  await appendRows(connection, 'doc_tables', tables);
  await appendRows(connection, 'doc_table_cells', cells);
  await appendRows(connection, 'document_text', lines);
  await runPrepared(
    connection,
    `insert into document_extractions (sha256, extractor_version, pages, tables, lines) values ($1, $2, $3, $4, $5)`,
    [extracted.sha256, extracted.extractorVersion, extracted.pages.length, tables.length, lines.length],
  );
  return true;
}

async function deleteContent(connection: DuckDBConnection, sha256: string): Promise<void> {
  for (const table of ['doc_tables', 'doc_table_cells', 'document_text', 'document_extractions']) {
    await connection.run(`delete from ${table} where sha256 = $1`, [sha256]);
  }
}

/** Rows of doc_tables, doc_table_cells and document_text, in their column order. */
function contentRows(doc: ExtractedDocument): { tables: SqlParam[][]; cells: SqlParam[][]; lines: SqlParam[][] } {
  const tables: SqlParam[][] = [];
  const cells: SqlParam[][] = [];
  const lines: SqlParam[][] = [];
  for (const page of doc.pages) {
    page.blocks.forEach((block, blockIndex) => {
      if (block.kind === 'line') {
        lines.push([doc.sha256, page.number, blockIndex, block.text]);
        return;
      }
      tables.push(tableRow(doc.sha256, page.number, block));
      block.rows.forEach((row, rowIndex) =>
        row.forEach((cell, columnIndex) => cells.push([doc.sha256, block.index, rowIndex, columnIndex, cell.text, cell.spanned === true])),
      );
    });
  }
  return { tables, cells, lines };
}

function tableRow(sha256: string, page: number, table: TableBlock): SqlParam[] {
  const columns = Math.max(0, ...table.rows.map((row) => row.length));
  return [sha256, table.index, page, table.origin, table.rows.length, columns];
}
