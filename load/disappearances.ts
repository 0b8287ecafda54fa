/** Documents a portal stopped listing, and listed again: recorded by the single writer, never deleted from the warehouse. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction, runPrepared } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** What one run's crawl of a source noticed about a document URL. */
export interface DocumentNotice {
  url: string;
  sourceId: string;
  runId: string;
  /** ISO 8601 time of the crawl that noticed it. */
  noticedAt: string;
}

/** A document URL that a source's crawl no longer found. */
export type Disappearance = DocumentNotice;

/** A document URL that a source's crawl found and its previous crawl did not know: perhaps a vanished one back. */
export type Reappearance = DocumentNotice;

/** Inserts the notices not yet recorded (recording a run twice adds nothing); returns how many were new. */
export async function recordDisappearances(warehouse: Warehouse, notices: Disappearance[]): Promise<number> {
  return inTransaction(warehouse.connection, () => writeDisappearances(warehouse.connection, notices));
}

/** recordDisappearances inside the caller's transaction. */
export async function writeDisappearances(connection: DuckDBConnection, notices: Disappearance[]): Promise<number> {
  return insertEach(
    connection,
    notices,
    `insert into document_disappearances (url, source_id, run_id, noticed_at)
     values ($1, $2, $3, $4::timestamptz) on conflict do nothing returning url`,
  );
}

/**
 * Inserts the candidates that vanished from the same source before they were noticed again, and are not yet recorded
 * (recording a run twice adds nothing). Others are merely new documents, so they are left out; returns how many were new.
 */
export async function recordReappearances(warehouse: Warehouse, candidates: Reappearance[]): Promise<number> {
  return inTransaction(warehouse.connection, () => writeReappearances(warehouse.connection, candidates));
}

/** recordReappearances inside the caller's transaction. */
export async function writeReappearances(connection: DuckDBConnection, candidates: Reappearance[]): Promise<number> {
  return insertEach(
    connection,
    candidates,
    `insert into document_reappearances (url, source_id, run_id, noticed_at)
     select $1, $2, $3, $4::timestamptz
      where exists (select 1 from document_disappearances
                     where url = $1 and source_id = $2 and noticed_at < $4::timestamptz)
     on conflict do nothing returning url`,
  );
}

/** Runs the insert once per notice (in the caller's transaction); returns how many rows it added. */
async function insertEach(connection: DuckDBConnection, notices: DocumentNotice[], insert: string): Promise<number> {
  let added = 0;
  for (const notice of notices) {
    const reader = await runPrepared(connection, insert, [notice.url, notice.sourceId, notice.runId, notice.noticedAt]);
    added += reader.currentRowCount;
  }
  return added;
}
