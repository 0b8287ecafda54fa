/** Documents a portal stopped listing: recorded by the single writer, never deleted from the warehouse. */
import { inTransaction } from './queries.ts';
import type { Warehouse } from './warehouse.ts';

/** A document URL that a source's crawl no longer found, as noticed in one run. */
export interface Disappearance {
  url: string;
  sourceId: string;
  runId: string;
  /** ISO 8601 time of the crawl that noticed it. */
  noticedAt: string;
}

/** Inserts the notices not yet recorded (recording a run twice adds nothing); returns how many were new. */
export async function recordDisappearances(warehouse: Warehouse, notices: Disappearance[]): Promise<number> {
  const { connection } = warehouse;
  let added = 0;
  await inTransaction(connection, async () => {
    for (const notice of notices) {
      const reader = await connection.runAndReadAll(
        `insert into document_disappearances (url, source_id, run_id, noticed_at)
         values ($1, $2, $3, $4::timestamptz) on conflict do nothing returning url`,
        [notice.url, notice.sourceId, notice.runId, notice.noticedAt],
      );
      added += reader.currentRowCount;
    }
  });
  return added;
}
