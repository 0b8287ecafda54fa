/** `yangguang sql`: read-only SQL on the warehouse, one query or an interactive shell. */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Config } from '../config/config.ts';
import { ServiceError } from './errors.ts';
import { WarehouseError, formatCsv, formatJson, formatTable, runReadOnlySql, type ReadOptions } from '../load/index.ts';

export type OutputFormat = 'table' | 'csv' | 'json';

const formatters = { table: formatTable, csv: formatCsv, json: formatJson } as const;

/** How long a query waits while the loader holds the file: a write window lasts a couple of seconds at most. */
const LOCK_WAIT_MS = 10_000;

/**
 * Runs `query` and prints its result; with no query, reads statements from stdin until `.quit` or EOF. Each query runs
 * within the reader limits: `timeoutSecs` (else config readerTimeoutSecs) and config readerMemoryLimitMb.
 */
export async function runSql(config: Config, query: string | undefined, format: OutputFormat, timeoutSecs?: number): Promise<void> {
  if (!existsSync(config.duckdbPath)) {
    throw new ServiceError(`no DuckDB file at ${config.duckdbPath} yet: run \`yangguang demo\` or a crawl first`);
  }
  const options: ReadOptions = {
    limits: { timeoutSecs: timeoutSecs ?? config.readerTimeoutSecs, memoryLimitMb: config.readerMemoryLimitMb },
    lockWaitMs: LOCK_WAIT_MS,
  };
  if (query !== undefined) {
    console.log(formatters[format](await runReadOnlySql(config.duckdbPath, query, options)));
    return;
  }
  await runShell(config.duckdbPath, format, options);
}

/**
 * The interactive shell: a statement runs once a line ends with `;`; `.quit` or end of input leaves. Errors
 * (refusals included) are printed and the shell goes on; the file is opened per statement, so writers are
 * not locked out while the shell idles.
 */
async function runShell(file: string, format: OutputFormat, options: ReadOptions): Promise<void> {
  const interactive = process.stdin.isTTY === true;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: 'yangguang> ' });
  if (interactive) {
    console.log(`read-only SQL on ${file}; end statements with ';', .quit to leave`);
    lines.prompt();
  }
  let pending = '';
  for await (const line of lines) {
    if (pending === '' && /^\s*\.(quit|exit)\s*$/.test(line)) break;
    pending += `${line}\n`;
    if (/;\s*$/.test(line)) {
      await runAndPrint(file, pending, format, options);
      pending = '';
    }
    if (interactive) lines.setPrompt(pending === '' ? 'yangguang> ' : '      ...> ');
    if (interactive) lines.prompt();
  }
  if (pending.trim() !== '') await runAndPrint(file, pending, format, options);
  lines.close();
}

async function runAndPrint(file: string, sql: string, format: OutputFormat, options: ReadOptions): Promise<void> {
  try {
    console.log(formatters[format](await runReadOnlySql(file, sql, options)));
  } catch (error) {
    if (!(error instanceof WarehouseError)) throw error;
    console.log(`error: ${error.message}`);
    process.exitCode = 1;
  }
}
