/**
 * Extraction off the event loop: a small pool of worker threads runs extractDocument, so that a big PDF neither
 * blocks the worker's lock renewals (a blocked worker loses its jobs to the stalled check) nor its other jobs.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ExtractHints } from '../extract/index.ts';
import type { ExtractedDocument } from '../extract/types.ts';

const THREAD_MAIN = new URL('./extract-thread-main.mjs', import.meta.url);
/**
 * A smaller young generation than V8's default (3 × 16 MB semi-spaces): extraction's short-lived objects are
 * small (a page's text runs, a cell's crop), and each thread keeps ~20 MB less resident at no measurable cost.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 24 };

/** An error thrown inside the thread, with its code and retryability carried over for the retry policy. */
export class ExtractThreadError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  constructor(detail: { name?: string; message: string; code?: unknown; retryable?: unknown }) {
    super(detail.message);
    this.name = detail.name ?? 'ExtractThreadError';
    this.code = typeof detail.code === 'string' ? detail.code : 'EXTRACT_FAILED';
    this.retryable = typeof detail.retryable === 'boolean' ? detail.retryable : true;
  }
}

interface Task {
  id: number;
  bytes: Uint8Array;
  hints: ExtractHints;
  resolve(document: ExtractedDocument): void;
  reject(error: Error): void;
}

type Reply = { id: number; document: ExtractedDocument } | { id: number; error: { message: string } };

export class ExtractPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly queue: Task[] = [];
  private nextId = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism()))) {}

  /** Extracts in a thread; rejects with the stage's error (code and retryable kept). */
  extract(bytes: Uint8Array, hints: ExtractHints): Promise<ExtractedDocument> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: (this.nextId += 1), bytes, hints, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends the threads (tasks in flight are rejected). */
  async close(): Promise<void> {
    const threads = [...this.idle.splice(0), ...this.busy.keys()];
    await Promise.all(threads.map((thread) => thread.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idle.pop() ?? (this.busy.size < this.size ? this.spawn() : undefined);
      if (!thread) return;
      const task = this.queue.shift()!;
      this.busy.set(thread, task);
      thread.ref();
      thread.postMessage({ id: task.id, bytes: task.bytes, hints: task.hints });
    }
  }

  private spawn(): Worker {
    const thread = new Worker(THREAD_MAIN, { resourceLimits: THREAD_LIMITS });
    thread.on('message', (reply: Reply) => this.settle(thread, reply));
    thread.on('error', (error) => this.crashed(thread, error));
    thread.on('exit', (code) => this.crashed(thread, new Error(`extract thread exited with code ${code}`)));
    return thread;
  }

  private settle(thread: Worker, reply: Reply): void {
    const task = this.busy.get(thread);
    this.busy.delete(thread);
    thread.unref(); // an idle thread must not keep the process alive
    this.idle.push(thread);
    if (task) {
      if ('document' in reply) task.resolve(reply.document);
      else task.reject(new ExtractThreadError(reply.error));
    }
    this.dispatch();
  }

  /** A thread died (out of memory, a native crash): its task fails retryably, and a fresh thread takes its place. */
  private crashed(thread: Worker, error: Error): void {
    const task = this.busy.get(thread);
    this.busy.delete(thread);
    const index = this.idle.indexOf(thread);
    if (index >= 0) this.idle.splice(index, 1);
    task?.reject(
      new ExtractThreadError({ message: `extract thread crashed: ${error.message}`, code: 'EXTRACT_THREAD_CRASHED', retryable: true }),
    );
    this.dispatch();
  }
}

let shared: ExtractPool | null = null;

/** The process's pool, created on first use. */
export function extractPool(): ExtractPool {
  shared ??= new ExtractPool();
  return shared;
}
