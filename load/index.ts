/** The load stage: the DuckDB warehouse — migrations, the single writer's batches, runs and failures, read-only SQL. */
export {
  EmptySqlError,
  LoadDocumentError,
  QueryTimeoutError,
  MigrationError,
  QueryError,
  SqlRefusedError,
  WarehouseError,
  WarehouseLockedError,
  WarehouseNotFoundError,
} from './errors.ts';
export {
  checkLoadInput,
  loadDocument,
  loadDocuments,
  reportIdOf,
  type LoadDocumentInput,
  type LoadDocumentResult,
} from './load-document.ts';
export {
  WINDOW_MORE_BATCHES_MS,
  withWriteWindow,
  writeWindow,
  type BatchWriter,
  type ItemOutcome,
  type WindowPart,
  type WriteWindow,
} from './batch.ts';
export { MIGRATIONS_DIR, appliedMigrations, listMigrations, migrate, type AppliedMigration, type Migration } from './migrate.ts';
export { readLatestDiscoveries, recordDiscoveries } from './discoveries.ts';
export {
  recordFailure,
  recordFailures,
  recordRun,
  recordRunSummaries,
  type RunRecord,
  type RunSummary,
  type SourceEntry,
  type SourceHealth,
} from './record-run.ts';
export {
  SAFE_SQL_SETTINGS,
  formatCsv,
  formatJson,
  formatTable,
  runNamedReadOnlyQuery,
  runReadOnlySql,
  type ReadOptions,
  type SqlResult,
} from './sql.ts';
export { DEFAULT_READER_LIMITS, withReader, type ReaderLimits, type ReaderOptions } from './reader.ts';
export { openWarehouse, withReadOnlyWarehouse, withWarehouse, type Warehouse } from './warehouse.ts';
export { EXPORT_DATASETS, exportWarehouse, type ExportFormat, type ExportedDataset } from './export.ts';
export { ReviewTargetError, listAnomalies, reviewAnomaly, type ReviewState } from './review.ts';
export { readReportData, renderReportPage, writeReportPage, type ReportData } from './report-page.ts';
