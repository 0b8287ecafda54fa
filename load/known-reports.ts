/** Whether a document already in the warehouse is an annual report, for counting unchanged reports as found. */
import type { Warehouse } from './warehouse.ts';

/** True when some parse of the document with this hash was loaded as an annual report. */
export async function isKnownReport(warehouse: Warehouse, sha256: string): Promise<boolean> {
  const reader = await warehouse.connection.runAndReadAll('select coalesce(bool_or(is_report), false) as is_report from reports where sha256 = $1', [sha256]);
  return reader.getRowObjectsJS()[0]?.is_report === true;
}
