/**
 * The process-wide gate every crawl and fetch request passes: per host at most `concurrency` requests in flight and
 * starts at least `delayMs` apart, across the process at most `maxInFlight` requests, and hosts served round-robin,
 * so a big portal never starves the small ones queued behind it. One scheduler per process is shared by every crawl
 * and fetch job in it: two sources on one host (counties hosted on their prefecture's portal) share that host's budget.
 */
import type { Politeness } from './types.ts';

/** How gently one host is asked. */
export interface HostBudget {
  /** Requests in flight at once against the host. */
  concurrency: number;
  /** Least time between two request starts on the host, in milliseconds. */
  delayMs: number;
}

/** Time and timers, injectable so that tests can step time instead of waiting for it. */
export interface SchedulerClock {
  now(): number;
  /** Calls `fire` after `ms` milliseconds; returns a function that cancels it. */
  setTimer(fire: () => void, ms: number): () => void;
}

export interface HostSchedulerOptions {
  /** Most requests in flight across the process. Default 64. */
  maxInFlight?: number;
  /** Budget of a host whose caller names none. Default: concurrency 2, delay 0 ms. */
  defaultBudget?: Partial<HostBudget>;
  /** Default: the real clock. */
  clock?: SchedulerClock;
}

/** Releases a granted slot; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface HostQueue {
  host: string;
  budget: HostBudget;
  waiting: (() => void)[];
  inFlight: number;
  /** When the last request on the host started (ms on the clock); -Infinity before the first. */
  lastStartMs: number;
}

const realClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fire, ms) => {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

/** How many idle hosts are remembered (for their delay) before the ones whose delay has passed are dropped. */
const IDLE_HOSTS_KEPT = 1_000;
/** Least time between two sweeps for idle hosts, in milliseconds (a sweep walks every host). */
const SWEEP_EVERY_MS = 1_000;

export class HostScheduler {
  readonly maxInFlight: number;
  readonly defaultBudget: HostBudget;
  readonly #clock: SchedulerClock;
  readonly #hosts = new Map<string, HostQueue>();
  /** Hosts with waiting requests, in round-robin order: the next grant goes to the first ready one, which then moves to the back. */
  #turns: HostQueue[] = [];
  #inFlight = 0;
  #cancelTimer: (() => void) | null = null;
  #timerAtMs = Infinity;
  #lastSweepMs = -Infinity;

  constructor(options: HostSchedulerOptions = {}) {
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 64);
    this.defaultBudget = { concurrency: 2, delayMs: 0, ...options.defaultBudget };
    this.#clock = options.clock ?? realClock;
  }

  /** Requests in flight across the process. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Hosts the scheduler remembers (waiting, in flight, or within their delay). */
  get hostCount(): number {
    return this.#hosts.size;
  }

  /**
   * Waits for a slot on `host` (host[:port]) and resolves with its release. The host's budget is the last one a caller
   * named (sources sharing a host normally share its politeness); fields left out come from the default budget.
   */
  acquire(host: string, budget: Partial<HostBudget> = {}): Promise<ReleaseSlot> {
    const queue = this.#queueOf(host, budget);
    return new Promise((resolve) => {
      queue.waiting.push(() => resolve(this.#releaseOnce(queue)));
      if (queue.waiting.length === 1) this.#turns.push(queue);
      this.#dispatch();
    });
  }

  /** Runs `task` holding a slot on the host of `url`, releasing it however the task ends. */
  async run<T>(url: string, budget: Partial<HostBudget>, task: () => Promise<T>): Promise<T> {
    const release = await this.acquire(new URL(url).host, budget);
    try {
      return await task();
    } finally {
      release();
    }
  }

  #queueOf(host: string, budget: Partial<HostBudget>): HostQueue {
    const wanted = { ...this.defaultBudget, ...definedFields(budget) };
    let queue = this.#hosts.get(host);
    if (!queue) {
      queue = { host, budget: wanted, waiting: [], inFlight: 0, lastStartMs: -Infinity };
      this.#hosts.set(host, queue);
    }
    queue.budget = { concurrency: Math.max(1, wanted.concurrency), delayMs: Math.max(0, wanted.delayMs) };
    return queue;
  }

  #releaseOnce(queue: HostQueue): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      queue.inFlight -= 1;
      this.#inFlight -= 1;
      this.#dispatch();
    };
  }

  /** Grants slots round-robin while the global cap allows; arms a timer for the earliest host held only by its delay. */
  #dispatch(): void {
    const now = this.#clock.now();
    let nextReadyMs = Infinity;
    let unserved = this.#turns.length;
    while (this.#inFlight < this.maxInFlight && unserved > 0) {
      const queue = this.#turns.shift()!;
      const readyMs = queue.inFlight < queue.budget.concurrency ? queue.lastStartMs + queue.budget.delayMs : Infinity;
      if (readyMs <= now) {
        this.#grant(queue, now);
        unserved = this.#turns.length;
      } else {
        nextReadyMs = Math.min(nextReadyMs, readyMs);
        unserved -= 1;
      }
      if (queue.waiting.length > 0) this.#turns.push(queue);
    }
    this.#armTimer(nextReadyMs, now);
    this.#forgetIdleHosts(now);
  }

  #grant(queue: HostQueue, now: number): void {
    queue.inFlight += 1;
    queue.lastStartMs = now;
    this.#inFlight += 1;
    queue.waiting.shift()!();
  }

  #armTimer(atMs: number, now: number): void {
    if (atMs === Infinity || atMs >= this.#timerAtMs) return;
    this.#cancelTimer?.();
    this.#timerAtMs = atMs;
    this.#cancelTimer = this.#clock.setTimer(() => {
      this.#cancelTimer = null;
      this.#timerAtMs = Infinity;
      this.#dispatch();
    }, atMs - now);
  }

  /** Keeps memory bounded however many hosts pass through: an idle host past its delay has nothing left to remember. */
  #forgetIdleHosts(now: number): void {
    if (this.#hosts.size <= IDLE_HOSTS_KEPT + this.#turns.length || now - this.#lastSweepMs < SWEEP_EVERY_MS) return;
    this.#lastSweepMs = now;
    for (const [host, queue] of this.#hosts) {
      if (queue.inFlight === 0 && queue.waiting.length === 0 && queue.lastStartMs + queue.budget.delayMs <= now) this.#hosts.delete(host);
    }
  }
}

/** The budget a source's politeness names (fields it leaves out come from the scheduler's default). */
export function politenessBudget(politeness: Politeness | undefined): Partial<HostBudget> {
  return {
    ...(politeness?.concurrencyPerHost !== undefined ? { concurrency: politeness.concurrencyPerHost } : {}),
    ...(politeness?.delayMs !== undefined ? { delayMs: politeness.delayMs } : {}),
  };
}

function definedFields(budget: Partial<HostBudget>): Partial<HostBudget> {
  return Object.fromEntries(Object.entries(budget).filter(([, value]) => value !== undefined));
}

/** A scheduler with no delay and no practical cap: for a crawl or fetch called without one (tests, one-off calls). */
let unthrottled: HostScheduler | undefined;
export function unthrottledHostScheduler(): HostScheduler {
  unthrottled ??= new HostScheduler({ maxInFlight: 1_000, defaultBudget: { concurrency: 16, delayMs: 0 } });
  return unthrottled;
}
