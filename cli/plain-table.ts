/** Tables for the terminal without colour codes, so that output piped to a file or CI log stays readable. */
import Table from 'cli-table3';

export function plainTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}
