/** The load stage: the DuckDB warehouse — migrations, one transaction per document, runs and failures, read-only SQL. */
export {
  LoadDocumentError,
  MigrationError,
  QueryError,
  WarehouseError,
  WarehouseLockedError,
  WarehouseNotFoundError,
} from './errors.ts';
export { loadDocument, reportIdOf, type LoadDocumentInput, type LoadDocumentResult } from './load-document.ts';
export { MIGRATIONS_DIR, appliedMigrations, listMigrations, migrate, type AppliedMigration, type Migration } from './migrate.ts';
export { recordFailure, recordRun, type RunRecord, type SourceHealth } from './record-run.ts';
export { formatCsv, formatJson, formatTable, runReadOnlySql, type SqlResult } from './sql.ts';
export { openWarehouse, withWarehouse, type Warehouse } from './warehouse.ts';
