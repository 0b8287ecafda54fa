/** Errors of the load room, each with a stable `code` and whether retrying can help. */

/** Base class: `code` names the failure, `retryable` says whether the same call may succeed later. */
export abstract class WarehouseError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
}

/**
 * Another process holds the DuckDB file: a writer locks it even against readers, and any open copy keeps a writer
 * out. Retry once it is released.
 */
export class WarehouseLockedError extends WarehouseError {
  readonly code = 'WAREHOUSE_LOCKED';
  readonly retryable = true;
  constructor(path: string, mode: 'read-write' | 'read-only', cause: unknown) {
    const holder =
      mode === 'read-only'
        ? 'it is locked by another process that has it open for writing'
        : 'another process has it open (a writer, or a reader such as `yangguang sql` or the UI)';
    super(`cannot open DuckDB file ${path} ${mode}: ${holder} (${causeMessage(cause)})`, { cause });
    this.name = 'WarehouseLockedError';
  }
}

/** The DuckDB file does not exist (read-only opens never create it). */
export class WarehouseNotFoundError extends WarehouseError {
  readonly code = 'WAREHOUSE_NOT_FOUND';
  readonly retryable = false;
  constructor(path: string) {
    super(`no DuckDB file at ${path}: nothing has been loaded yet`);
    this.name = 'WarehouseNotFoundError';
  }
}

/** A migration file failed to apply; its transaction was rolled back. */
export class MigrationError extends WarehouseError {
  readonly code = 'MIGRATION_FAILED';
  readonly retryable = false;
  constructor(file: string, cause: unknown) {
    super(`migration ${file} failed and was rolled back: ${causeMessage(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

/** A document could not be loaded; nothing of it was written. */
export class LoadDocumentError extends WarehouseError {
  readonly code: string;
  readonly retryable = false;
  constructor(code: 'LOAD_DOCUMENT_FAILED' | 'DUPLICATE_CELL_KEY' | 'SHA256_MISMATCH', sha256: string, detail: string, cause?: unknown) {
    super(`could not load document ${sha256} (rolled back): ${detail}`, { cause });
    this.name = 'LoadDocumentError';
    this.code = code;
  }
}

/** A read-only query failed (syntax, missing table, an attempt to write…); the message is DuckDB's. */
export class QueryError extends WarehouseError {
  readonly code = 'SQL_QUERY_FAILED';
  readonly retryable = false;
  constructor(cause: unknown) {
    super(causeMessage(cause), { cause });
    this.name = 'QueryError';
  }
}

/** A statement the SQL console does not run: it would write, touch files, or change settings or extensions. */
export class SqlRefusedError extends WarehouseError {
  readonly code = 'SQL_REFUSED';
  readonly retryable = false;
  constructor(reason: string, cause?: unknown) {
    super(`refused: ${reason}`, { cause });
    this.name = 'SqlRefusedError';
  }
}

export function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** DuckDB reports a conflicting file lock as an IO Error "Could not set lock on file". */
export function isLockError(error: unknown): boolean {
  return /could not set lock on file|conflicting lock/i.test(causeMessage(error));
}

/** The console was given no statement at all: empty, blank, or only comments and semicolons. */
export class EmptySqlError extends WarehouseError {
  readonly code = 'SQL_EMPTY';
  readonly retryable = false;
  constructor() {
    super('no statement to run: the query is empty (or only comments); give a query such as `select count(*) from reports`');
    this.name = 'EmptySqlError';
  }
}

/** A reader's query ran past its time limit and was interrupted; the file was let go. */
export class QueryTimeoutError extends WarehouseError {
  readonly code = 'SQL_TIMEOUT';
  readonly retryable = false;
  constructor(seconds: number) {
    super(
      `the query ran longer than ${seconds} s and was stopped, so that it does not hold the DuckDB file from the loader ` +
        '(raise the limit with `yangguang sql --timeout SECONDS` or the readerTimeoutSecs setting)',
    );
    this.name = 'QueryTimeoutError';
  }
}
