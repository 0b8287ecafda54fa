/**
 * Counts a run's outstanding jobs and per-stage outcomes in one Redis hash, so that any process can tell when a
 * run is finished and what it did. A job is counted before it is added and settled once, when it ends for good.
 */
import type { Redis } from 'ioredis';
import type { Stage } from './payloads.ts';

export type RunCounts = Record<string, number>;

export interface RunState {
  runId: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** running → finished (all jobs settled) → recorded (summary written to DuckDB). */
  status: 'running' | 'finished' | 'recorded' | 'unknown';
  pending: number;
  counts: RunCounts;
}

/** How long a run's hash is kept in Redis after it was last touched (7 days). */
const RUN_TTL_SECS = 7 * 24 * 3600;

export class RunTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(runId: string): string {
    return `${this.prefix}:run:${runId}`;
  }

  async begin(runId: string, startedAt: string): Promise<void> {
    await this.redis
      .multi()
      .hset(this.key(runId), { startedAt, status: 'running', pending: 0 })
      .expire(this.key(runId), RUN_TTL_SECS)
      .set(`${this.prefix}:last-run-id`, runId)
      .exec();
  }

  /** Counts `jobs` more jobs as outstanding; call before adding them. */
  async expect(runId: string, jobs: number): Promise<void> {
    if (jobs > 0) await this.redis.hincrby(this.key(runId), 'pending', jobs);
  }

  /** Adds to a free-form counter, e.g. `source:<id>:pages`. */
  async add(runId: string, field: string, amount = 1): Promise<void> {
    if (amount !== 0) await this.redis.hincrby(this.key(runId), field, amount);
  }

  /** Settles one job; resolves true when it was the last outstanding job of the run. */
  async settle(runId: string, stage: Stage, outcome: 'completed' | 'failed'): Promise<boolean> {
    const results = await this.redis
      .multi()
      .hincrby(this.key(runId), `${stage}:${outcome}`, 1)
      .hincrby(this.key(runId), 'pending', -1)
      .exec();
    const pending = Number(results?.[1]?.[1] ?? 1);
    if (pending > 0) return false;
    // Only one settler sees the transition to finished, even if two reach zero at once.
    return (await this.redis.hsetnx(this.key(runId), 'finishedAt', new Date().toISOString())) === 1;
  }

  async markRecorded(runId: string): Promise<void> {
    await this.redis.hset(this.key(runId), 'status', 'recorded');
  }

  async state(runId: string): Promise<RunState> {
    const hash = await this.redis.hgetall(this.key(runId));
    const counts: RunCounts = {};
    for (const [field, value] of Object.entries(hash)) {
      if (!['startedAt', 'finishedAt', 'status', 'pending'].includes(field)) counts[field] = Number(value);
    }
    const pending = Number(hash.pending ?? 0);
    const status = (hash.status as RunState['status'] | undefined) ?? 'unknown';
    return {
      runId,
      startedAt: hash.startedAt ?? null,
      finishedAt: hash.finishedAt ?? null,
      status: status === 'running' && hash.finishedAt ? 'finished' : status,
      pending,
      counts,
    };
  }

  async lastRunId(): Promise<string | null> {
    return this.redis.get(`${this.prefix}:last-run-id`);
  }

  /** Resolves with the run's state once its summary is recorded; polls every `pollMs` (default 200 ms). */
  async waitUntilRecorded(runId: string, options: { pollMs?: number; signal?: AbortSignal } = {}): Promise<RunState> {
    for (;;) {
      options.signal?.throwIfAborted();
      const state = await this.state(runId);
      if (state.status === 'recorded') return state;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  }
}
