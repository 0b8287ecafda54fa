/**
 * The process's structured logger (pino): JSON lines, or one compact human line per record (`pretty`), on stderr so
 * that a command's own output on stdout stays clean. The CLI configures it once from --log-level, --quiet,
 * --verbose and --log-format; every stage may log through `logger()`.
 */
import { pino, type Logger } from 'pino';

export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  /** Least level written; default `info`. */
  level?: LogLevel;
  /** `json` (one JSON object a line) or `pretty` (a compact human line); default `pretty`. */
  format?: LogFormat;
  /** Where lines go; default stderr. */
  write?: (line: string) => void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every record has, left out of the pretty line's key=value tail. */
const BASE_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'msg']);

/** A pino record as one short line: `12:03:04 INFO  msg key=value …`. */
export function formatPretty(record: Record<string, unknown>): string {
  const time = new Date(Number(record.time)).toISOString().slice(11, 19);
  const level = (LEVEL_NAMES[Number(record.level)] ?? String(record.level)).padEnd(5);
  const fields = Object.entries(record)
    .filter(([key, value]) => !BASE_FIELDS.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`);
  return [time, level, String(record.msg ?? ''), ...fields].join(' ').trimEnd();
}

/** A new logger writing JSON or pretty lines. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const format = options.format ?? 'pretty';
  const destination = {
    write: (line: string) => write(format === 'json' ? line : `${formatPretty(JSON.parse(line) as Record<string, unknown>)}\n`),
  };
  return pino({ level: options.level ?? 'info', base: { pid: process.pid } }, destination);
}

let current: Logger | undefined;

/** The process's logger (pretty lines at `info` on stderr until configureLogger is called). */
export function logger(): Logger {
  current ??= createLogger();
  return current;
}

/** Replaces the process's logger; the CLI calls it once from its flags. */
export function configureLogger(options: LoggerOptions): Logger {
  current = createLogger(options);
  return current;
}
