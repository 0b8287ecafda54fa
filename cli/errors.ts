/**
 * The command line's exit codes, and which errors are ordinary mistakes (one line naming what to fix) rather than
 * bugs (whose stack `--debug` shows).
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { DocumentFilterError } from '../ledger/document-filter.ts';
import { RedisUnavailableError } from '../jobs/redis.ts';
import { ReprocessError } from '../jobs/reprocess.ts';
import { ScheduleError } from '../jobs/schedules.ts';
import { WarehouseError } from '../load/index.ts';
import { UiBindError } from '../ui/server.ts';

/** Exit codes, as the README's command table documents them. */
export const EXIT = {
  /** Done, nothing wrong. */
  ok: 0,
  /** Finished, but with failed jobs or flagged sources (or not within --timeout; or an unexpected error). */
  failures: 1,
  /** Bad usage or configuration: fix the command line, the config or an input file. */
  usage: 2,
  /** A service is missing: Redis, the warehouse file, or the lost records of a run. */
  service: 3,
} as const;

/** A mistake in the command line or its input files, said in one line. */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

/** A service the command needs is missing or lost something (exit 3). */
export class ServiceError extends Error {
  readonly code = 'SERVICE_UNAVAILABLE';
}

/** Warehouse errors that mean the file is absent or held, rather than a bad query or a failed load. */
const MISSING_WAREHOUSE_CODES = new Set(['WAREHOUSE_NOT_FOUND', 'WAREHOUSE_LOCKED']);
/** Node's and ioredis's words for a server that does not answer. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** How an error ends the command: its exit code, and whether it is an ordinary one (message only) or a bug. */
export function classifyCliError(error: unknown): { exitCode: number; ordinary: boolean } {
  if (error instanceof ServiceError || error instanceof RedisUnavailableError) return { exitCode: EXIT.service, ordinary: true };
  if (error instanceof WarehouseError)
    return { exitCode: MISSING_WAREHOUSE_CODES.has(error.code) ? EXIT.service : EXIT.usage, ordinary: true };
  if (
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof DocumentFilterError ||
    error instanceof ReprocessError ||
    error instanceof ScheduleError ||
    error instanceof UiBindError ||
    error instanceof CommanderError
  ) {
    return { exitCode: EXIT.usage, ordinary: true };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return { exitCode: EXIT.service, ordinary: true };
  return { exitCode: EXIT.failures, ordinary: false };
}

/** The line (or, with `debug` or for a bug, the stack) to print for an error that ends the command. */
export function describeCliError(error: unknown, debug: boolean): string {
  const { ordinary } = classifyCliError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (debug) return error instanceof Error ? (error.stack ?? message) : message;
  return ordinary ? message : `${message} (unexpected: run again with --debug for the stack)`;
}
