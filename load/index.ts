/** The load stage: the DuckDB warehouse — migrations, one transaction per document, runs and failures, read-only SQL. */
export {
  LoadDocumentError,
  MigrationError,
  QueryError,
  SqlRefusedError,
  WarehouseError,
  WarehouseLockedError,
  WarehouseNotFoundError,
} from './errors.ts';
export { loadDocument, reportIdOf, type LoadDocumentInput, type LoadDocumentResult } from './load-document.ts';
export { MIGRATIONS_DIR, appliedMigrations, listMigrations, migrate, type AppliedMigration, type Migration } from './migrate.ts';
export { readLatestDiscoveries, recordDiscoveries } from './discoveries.ts';
export { recordFailure, recordRun, type RunRecord, type SourceEntry, type SourceHealth } from './record-run.ts';
export { SAFE_SQL_SETTINGS, formatCsv, formatJson, formatTable, runReadOnlySql, type SqlResult } from './sql.ts';
export { openWarehouse, withReadOnlyWarehouse, withWarehouse, type Warehouse } from './warehouse.ts';
export { EXPORT_DATASETS, exportWarehouse, type ExportFormat, type ExportedDataset } from './export.ts';
export { ReviewTargetError, listAnomalies, reviewAnomaly, type ReviewState } from './review.ts';
export { readReportData, renderReportPage, writeReportPage, type ReportData } from './report-page.ts';
