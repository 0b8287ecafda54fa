/**
 * The single writer's write window: one open of the DuckDB file, one transaction, every kind of load-queue job in it.
 *
 * The contract every kind of load-queue job follows (documents, failure records, run summaries, crawl state …): it is
 * written by a `BatchWriter`, a plain load/ function that takes the window's connection — already inside the window's
 * transaction — and the items of its kind in queue order. It never begins, commits or rolls back; it is set-based
 * (Appenders, `insert … select` from staged rows, one lookup per batch rather than one per item), because readers wait
 * while the window is open; and it returns one result per item, in order. Inputs are checked before the window opens
 * (a bad item then costs nothing); an error inside the window fails it, and the window is written again item by item,
 * each in its own transaction, so that only the culprit fails.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { inTransaction } from './queries.ts';
import { withWarehouseWhenFree, type LockRetryOptions } from './retry-locked.ts';

/** Writes items of one kind inside the open window's transaction; one result per item, in order. */
export type BatchWriter<Item, Result> = (connection: DuckDBConnection, items: readonly Item[]) => Promise<Result[]>;

/** The items of one kind in a window, and their writer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a window mixes kinds; each part is typed where it is built
export interface WindowPart<Item = any, Result = any> {
  items: readonly Item[];
  write: BatchWriter<Item, Result>;
}

/** How one item fared: its writer's result, or the error that made its own transaction fail. */
export type ItemOutcome<Result = unknown> = { ok: true; result: Result } | { ok: false; error: unknown };

/** What a window did: an outcome per item of each part (in order), and how it went. */
export interface WindowOutcome {
  outcomes: ItemOutcome[][];
  /** The window's transaction failed and its items were written one by one. */
  split: boolean;
  /** Milliseconds spent waiting for another process (a reader, a second writer) to let go of the file. */
  waitedMs: number;
  /** Milliseconds the file was held for the writing itself (open, transaction, close). */
  heldMs: number;
}

/**
 * A write window may take another batch while it has been open for less than this: a batch takes well under a second,
 * so a window holds the file for ~2 s at most, and readers get in between windows.
 */
export const WINDOW_MORE_BATCHES_MS = 1_000;

/** An open write window: batches written in it share one open of the file, each in its own transaction. */
export interface WriteWindow {
  /** Writes every part in one transaction; if that fails, each item again in a transaction of its own. */
  write(parts: readonly WindowPart[]): Promise<{ outcomes: ItemOutcome[][]; split: boolean }>;
  /** Milliseconds since the window opened. */
  heldMs(): number;
  /** Whether another batch fits in this window (it has been open for less than WINDOW_MORE_BATCHES_MS). */
  hasRoom(): boolean;
}

/**
 * Opens the file (waiting while another process holds it: see `wait`), runs `work` with the open window, and closes
 * the file. Returns `work`'s result with how long the window waited for the file and how long it held it.
 */
export async function withWriteWindow<T>(
  file: string,
  work: (window: WriteWindow) => Promise<T>,
  wait: LockRetryOptions = {},
): Promise<{ result: T; waitedMs: number; heldMs: number }> {
  const asked = performance.now();
  let opened = asked;
  const result = await withWarehouseWhenFree(
    file,
    async ({ connection }) => {
      opened = performance.now();
      const heldMs = () => performance.now() - opened;
      return work({ write: (parts) => writeParts(connection, parts), heldMs, hasRoom: () => heldMs() < WINDOW_MORE_BATCHES_MS });
    },
    wait,
  );
  return { result, waitedMs: Math.round(opened - asked), heldMs: Math.round(performance.now() - opened) };
}

/** One batch in a window of its own: opens the file, writes every part in one transaction (see WriteWindow.write), closes. */
export async function writeWindow(file: string, parts: readonly WindowPart[], wait: LockRetryOptions = {}): Promise<WindowOutcome> {
  const { result, waitedMs, heldMs } = await withWriteWindow(file, (window) => window.write(parts), wait);
  return { ...result, waitedMs, heldMs };
}

async function writeParts(
  connection: DuckDBConnection,
  parts: readonly WindowPart[],
): Promise<{ outcomes: ItemOutcome[][]; split: boolean }> {
  try {
    const results = await inTransaction(connection, async () => {
      const all: unknown[][] = [];
      for (const part of parts) all.push(part.items.length === 0 ? [] : await writePart(connection, part, part.items));
      return all;
    });
    return { outcomes: results.map((part) => part.map((result) => ({ ok: true as const, result }))), split: false };
  } catch (error) {
    const total = parts.reduce((sum, part) => sum + part.items.length, 0);
    if (total === 1) return { outcomes: parts.map((part) => part.items.map(() => ({ ok: false as const, error }))), split: false };
  }
  const outcomes: ItemOutcome[][] = [];
  for (const part of parts) {
    const partOutcomes: ItemOutcome[] = [];
    for (const item of part.items) {
      try {
        const [result] = await inTransaction(connection, () => writePart(connection, part, [item]));
        partOutcomes.push({ ok: true, result });
      } catch (error) {
        partOutcomes.push({ ok: false, error });
      }
    }
    outcomes.push(partOutcomes);
  }
  return { outcomes, split: true };
}

async function writePart(connection: DuckDBConnection, part: WindowPart, items: readonly unknown[]): Promise<unknown[]> {
  const results = await part.write(connection, items);
  if (results.length !== items.length) throw new Error(`a batch writer returned ${results.length} results for ${items.length} items`);
  return results;
}
