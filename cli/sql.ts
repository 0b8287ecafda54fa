/** `yangguang sql`: read-only SQL on the warehouse, one query or an interactive shell. */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Config } from '../config/config.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';
import { WarehouseError, formatCsv, formatJson, formatTable, runReadOnlySql } from '../load/index.ts';

export type OutputFormat = 'table' | 'csv' | 'json';

const formatters = { table: formatTable, csv: formatCsv, json: formatJson } as const;

/** Runs `query` and prints its result; with no query, reads statements from stdin until `.quit` or EOF. */
export async function runSql(config: Config, query: string | undefined, format: OutputFormat): Promise<void> {
  if (!existsSync(config.duckdbPath)) {
    throw new Error(`no DuckDB file at ${config.duckdbPath} yet: run \`yangguang demo\` or a crawl first`);
  }
  if (query !== undefined) {
    const result = await retryWhileLocked(() => runReadOnlySql(config.duckdbPath, query));
    console.log(formatters[format](result));
    return;
  }
  await runShell(config.duckdbPath, format);
}

/**
 * The interactive shell: a statement runs once a line ends with `;`; `.quit` or end of input leaves. Errors
 * (refusals included) are printed and the shell goes on; the file is opened per statement, so writers are
 * not locked out while the shell idles.
 */
async function runShell(file: string, format: OutputFormat): Promise<void> {
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
      await runAndPrint(file, pending, format);
      pending = '';
    }
    if (interactive) lines.setPrompt(pending === '' ? 'yangguang> ' : '      ...> ');
    if (interactive) lines.prompt();
  }
  if (pending.trim() !== '') await runAndPrint(file, pending, format);
  lines.close();
}

async function runAndPrint(file: string, sql: string, format: OutputFormat): Promise<void> {
  try {
    console.log(formatters[format](await retryWhileLocked(() => runReadOnlySql(file, sql))));
  } catch (error) {
    if (!(error instanceof WarehouseError)) throw error;
    console.log(`error: ${error.message}`);
    process.exitCode = 1;
  }
}
