/**
 * Readers and the single writer take turns on the DuckDB file: the loader holds it for one job at a time (short write
 * windows), so a reader that finds it locked waits a little and tries again instead of failing.
 */
import { WarehouseLockedError } from './errors.ts';
import { withWarehouse, type Warehouse } from './warehouse.ts';

export interface LockRetryOptions {
  /** Give up (rethrowing the WarehouseLockedError) after this long; default 10 s. */
  timeoutMs?: number;
  /** First pause; doubled up to 500 ms, with jitter. Default 25 ms. */
  firstDelayMs?: number;
}

/** Runs `work`, retrying it while it throws WarehouseLockedError, until `timeoutMs` has passed. */
export async function retryWhileLocked<T>(work: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let delay = options.firstDelayMs ?? 25;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof WarehouseLockedError) || Date.now() + delay > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, 500);
  }
}

/**
 * withWarehouse, waiting while another process holds the file (a reader between two loads, a second loader): the
 * loader's jobs then wait a moment instead of failing and coming back after the queue's backoff.
 */
export function withWarehouseWhenFree<T>(file: string, fn: (warehouse: Warehouse) => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  return retryWhileLocked(() => withWarehouse(file, fn), options);
}
