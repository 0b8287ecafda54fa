/** Fills the `regions` table from the GB/T 2260 table every stage uses (shared/data/regions.ts), once per file. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { listRegions } from '../shared/regions.ts';
import { appendRows, inTransaction, type SqlParam } from './queries.ts';

/** Seeds `regions` if it is empty (a new file, or one migrated from before 0003); returns the rows written. */
export async function seedRegions(connection: DuckDBConnection): Promise<number> {
  const reader = await connection.runAndReadAll('select count(*) as n from regions');
  if (Number(reader.getRowObjectsJS()[0]?.n ?? 0) > 0) return 0;
  const rows: SqlParam[][] = listRegions().map((region) => [
    region.code,
    region.name,
    region.parentCode,
    region.level,
    region.specialZone === true,
    region.former === true,
  ]);
  return inTransaction(connection, () => appendRows(connection, 'regions', rows));
}
