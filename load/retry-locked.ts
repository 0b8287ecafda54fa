/**
 * Readers and the single writer take turns on the DuckDB file: the loader holds it for one write window at a time, so
 * a reader that finds it locked waits a little and tries again instead of failing, and the loader waits for readers.
 */
import { WarehouseLockedError } from './errors.ts';
import { withWarehouse, type Warehouse } from './warehouse.ts';

export interface LockRetryOptions {
  /** Give up (rethrowing the WarehouseLockedError) after this long; default 10 s. `Infinity`: never give up. */
  timeoutMs?: number;
  /** First pause; doubled up to 500 ms, with jitter. Default 25 ms. */
  firstDelayMs?: number;
  /** Called before each pause while the file is held elsewhere, with how long this call has waited so far. */
  onWait?: (waitedMs: number, error: WarehouseLockedError) => void;
  /** Stops waiting (rethrowing the last WarehouseLockedError, or the signal's reason) when aborted. */
  signal?: AbortSignal;
}

/** Runs `work`, retrying it while it throws WarehouseLockedError, until `timeoutMs` has passed. */
export async function retryWhileLocked<T>(work: () => Promise<T>, options: LockRetryOptions = {}): Promise<T> {
  const started = Date.now();
  const deadline = started + (options.timeoutMs ?? 10_000);
  let delay = options.firstDelayMs ?? 25;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof WarehouseLockedError) || Date.now() + delay > deadline || options.signal?.aborted) throw error;
      options.onWait?.(Date.now() - started, error);
    }
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, 500);
  }
}

/**
 * withWarehouse, waiting while another process holds the file (a reader between two windows, a second loader): the
 * loader then waits for its window instead of failing and coming back after the queue's backoff.
 */
export function withWarehouseWhenFree<T>(
  file: string,
  fn: (warehouse: Warehouse) => Promise<T>,
  options: LockRetryOptions = {},
): Promise<T> {
  return retryWhileLocked(() => withWarehouse(file, fn), options);
}
