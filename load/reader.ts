/**
 * The one way to read the warehouse (the SQL console, export, the UI, the project's own lookups): a read-only open
 * with limits, so that no query holds the file — and with it the single writer — or the machine indefinitely. Each
 * call's statements are interrupted once its time limit has passed; its DuckDB instance may use at most its memory
 * limit (no spilling to disk), and a query cannot SET its way past either.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryError, QueryTimeoutError, WarehouseError, WarehouseNotFoundError, causeMessage } from './errors.ts';
import { retryWhileLocked } from './retry-locked.ts';
import { withReadOnlyWarehouse } from './warehouse.ts';

/** How long and how much a reader may take. */
export interface ReaderLimits {
  /** Statements still running after this many seconds are interrupted (config readerTimeoutSecs; default 60). */
  timeoutSecs: number;
  /** DuckDB memory_limit of the reader's instance, in MB (config readerMemoryLimitMb; default 2048). */
  memoryLimitMb: number;
}

export const DEFAULT_READER_LIMITS: Readonly<ReaderLimits> = { timeoutSecs: 60, memoryLimitMb: 2048 };

/**
 * DuckDB settings of a console reader: read-only, no file system beyond the database itself, no extension installs or
 * autoloads, and locked so that a query cannot `SET` its way out.
 */
export const SAFE_SQL_SETTINGS: Readonly<Record<string, string>> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  lock_configuration: 'true',
};

export interface ReaderOptions {
  limits?: ReaderLimits;
  /** Let statements read and write files (export's COPY … TO); default false: the console's SAFE_SQL_SETTINGS. */
  fileAccess?: boolean;
  /** How long to wait while the loader holds the file, in ms; default 0 (throw WarehouseLockedError at once). */
  lockWaitMs?: number;
}

/**
 * Opens the DuckDB file read-only within `limits`, runs `read`, and closes it. Throws WarehouseNotFoundError when there
 * is no file, WarehouseLockedError when a writer kept it past `lockWaitMs`, QueryTimeoutError when `read` ran past the
 * time limit, QueryError (with DuckDB's message) for any other failure of DuckDB's.
 */
export async function withReader<T>(
  file: string,
  read: (connection: DuckDBConnection) => Promise<T>,
  options: ReaderOptions = {},
): Promise<T> {
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) throw new WarehouseNotFoundError(resolved);
  const limits = options.limits ?? DEFAULT_READER_LIMITS;
  const settings: Record<string, string> = {
    // First: DuckDB refuses to set the temp directory once external access is off. None at all, so that a query past
    // the memory limit fails rather than filling the disk.
    temp_directory: '',
    memory_limit: `${limits.memoryLimitMb}MB`,
    ...(options.fileAccess ? { access_mode: 'READ_ONLY', lock_configuration: 'true' } : SAFE_SQL_SETTINGS),
  };
  return retryWhileLocked(() => withReadOnlyWarehouse(resolved, ({ connection }) => readWithin(connection, read, limits), settings), {
    timeoutMs: options.lockWaitMs ?? 0,
  });
}

/** Runs `read`, interrupting the connection when the time limit passes; names the limits in the errors they cause. */
async function readWithin<T>(
  connection: DuckDBConnection,
  read: (connection: DuckDBConnection) => Promise<T>,
  limits: ReaderLimits,
): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, limits.timeoutSecs * 1000);
  try {
    return await read(connection);
  } catch (error) {
    if (timedOut) throw new QueryTimeoutError(limits.timeoutSecs);
    if (error instanceof WarehouseError) throw error;
    if (/^Out of Memory Error/.test(causeMessage(error))) {
      throw new QueryError(
        new Error(
          `the query needs more than the reader's memory limit of ${limits.memoryLimitMb} MB (readerMemoryLimitMb): ${causeMessage(error).split('\n')[0]}`,
        ),
      );
    }
    throw new QueryError(error);
  } finally {
    clearTimeout(timer);
  }
}
