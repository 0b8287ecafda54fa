/**
 * Counts a run's outstanding jobs and per-stage outcomes in Redis, so that any process can tell when a run is
 * finished and what it did. Bookkeeping is by job id, which makes it idempotent: a job re-run after its worker was
 * killed (or retried from the UI) expects and settles the same ids again and changes no count twice.
 *
 * Why counters and not a BullMQ flow (FlowProducer parent 'run' job): a run's children are discovered while it runs
 * (crawl → fetch → …), and a flow parent completes as soon as its *current* children have; a grandchild added after
 * its parent completed no longer holds the run open. Counting expected vs settled job ids gives the same "parent
 * completes when all children have" with dynamic children, survives restarts (it is in Redis), and lets a retried
 * failure re-open and re-close its run.
 *
 * Keys: `<prefix>:run:<id>` (hash: startedAt, status, pending, finishedAt, counters), `…:expected` (set of job ids),
 * `…:settled` (hash job id → completed | failed), `…:failures` (hash job id → error code).
 */
import type { Redis } from 'ioredis';

export type RunCounts = Record<string, number>;

/** How a job ended for good: done, failed, or taken out of a cancelled run before it started. */
export type JobSettlement = 'completed' | 'failed' | 'cancelled';

export interface RunState {
  runId: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** running → finished (all jobs settled) → recorded (summary written to DuckDB). */
  status: 'running' | 'finished' | 'recorded' | 'unknown';
  pending: number;
  counts: RunCounts;
  /** When `yangguang run cancel` cancelled it. */
  cancelledAt?: string;
}

/** How long a run's keys are kept in Redis after it was last touched (7 days). */
const RUN_TTL_SECS = 7 * 24 * 3600;

/**
 * Settles one job id atomically: records its outcome (moving its counter when a retry turned failed into completed),
 * recomputes `pending`, and, when nothing is pending and the run's summary is not recorded yet, returns the run's
 * generation + 1 (else 0). Every settler of a finished, unrecorded run gets it, so a settler killed before it queued
 * the summary is covered by the job's re-run; the summary job's id includes the generation, so it is queued once.
 * A changed outcome in a finished run starts a new generation: the summary is recorded again.
 */
const SETTLE_SCRIPT = `
local previous = redis.call('HGET', KEYS[3], ARGV[1])
if previous ~= ARGV[3] then
  redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
  redis.call('HINCRBY', KEYS[1], ARGV[2] .. ':' .. ARGV[3], 1)
  if previous then
    redis.call('HINCRBY', KEYS[1], ARGV[2] .. ':' .. previous, -1)
    if redis.call('HGET', KEYS[1], 'finishedAt') then
      redis.call('HDEL', KEYS[1], 'finishedAt')
      redis.call('HSET', KEYS[1], 'status', 'running')
      redis.call('HINCRBY', KEYS[1], 'generation', 1)
    end
  end
end
local pending = redis.call('SCARD', KEYS[2]) - redis.call('HLEN', KEYS[3])
redis.call('HSET', KEYS[1], 'pending', pending)
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[5]) end
if pending > 0 or redis.call('HGET', KEYS[1], 'status') == 'recorded' then return 0 end
redis.call('HSETNX', KEYS[1], 'finishedAt', ARGV[4])
return tonumber(redis.call('HGET', KEYS[1], 'generation') or '0') + 1
`;

/** Adds job ids to the expected set; pending grows only by the ids that are new. New work re-opens a finished run. */
const EXPECT_SCRIPT = `
for i = 1, #ARGV - 1 do redis.call('SADD', KEYS[2], ARGV[i]) end
local pending = redis.call('SCARD', KEYS[2]) - redis.call('HLEN', KEYS[3])
redis.call('HSET', KEYS[1], 'pending', pending)
if pending > 0 and redis.call('HGET', KEYS[1], 'finishedAt') then
  redis.call('HDEL', KEYS[1], 'finishedAt')
  redis.call('HSET', KEYS[1], 'status', 'running')
  redis.call('HINCRBY', KEYS[1], 'generation', 1)
end
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ARGV[#ARGV]) end
return pending
`;

/** Marks the summary of generation ARGV[1] recorded, unless the run was re-opened since. */
const MARK_RECORDED_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'generation') or '0') + 1 ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'status', 'recorded')
return 1
`;

export class RunTracker {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(runId: string): string {
    return `${this.prefix}:run:${runId}`;
  }

  private keys(runId: string): [string, string, string] {
    const key = this.key(runId);
    return [key, `${key}:expected`, `${key}:settled`];
  }

  /** Opens a run (again: a no-op but for `last-run-id`, so re-running the job that began it is harmless). */
  async begin(runId: string, startedAt: string): Promise<void> {
    await this.redis
      .multi()
      .hsetnx(this.key(runId), 'startedAt', startedAt)
      .hsetnx(this.key(runId), 'status', 'running')
      .hsetnx(this.key(runId), 'pending', 0)
      .expire(this.key(runId), RUN_TTL_SECS)
      .set(`${this.prefix}:last-run-id`, runId)
      .zadd(this.runsKey(), 'NX', Date.parse(startedAt) || Date.now(), runId)
      .expire(this.runsKey(), RUN_TTL_SECS)
      .exec();
  }

  /** Counts these job ids as outstanding; call before adding the jobs. Ids already expected are not counted twice. */
  async expect(runId: string, jobIds: readonly string[]): Promise<void> {
    if (jobIds.length === 0) return;
    await this.redis.eval(EXPECT_SCRIPT, 3, ...this.keys(runId), ...jobIds, RUN_TTL_SECS);
  }

  /** Adds to a free-form counter, e.g. `source:<id>:pages`. */
  async add(runId: string, field: string, amount = 1): Promise<void> {
    if (amount !== 0) await this.redis.hincrby(this.key(runId), field, amount);
  }

  /**
   * Settles one job as it ended for good; `counter` names its outcome counter (`<counter>:completed|failed`, usually
   * the stage). Resolves with the recording number of the run's summary when the run is finished and its summary is
   * not recorded yet (queue it with that number in its job id), else null.
   */
  async settle(runId: string, jobId: string, counter: string, outcome: JobSettlement): Promise<number | null> {
    const args = [jobId, counter, outcome, new Date().toISOString(), RUN_TTL_SECS];
    // A job that succeeds after a failure (retried from the UI) no longer counts among the failures.
    if (outcome === 'completed') await this.redis.hdel(`${this.key(runId)}:failures`, jobId);
    const recording = Number(await this.redis.eval(SETTLE_SCRIPT, 3, ...this.keys(runId), ...args));
    return recording > 0 ? recording : null;
  }

  /** Marks the run's summary recorded; `recording` is what settle() returned (ignored if the run re-opened since). */
  /** Notes why a job failed for good (its error code); shown as `failures:<code>` counts. Idempotent per job id. */
  async noteFailure(runId: string, jobId: string, code: string): Promise<void> {
    await this.redis
      .multi()
      .hset(`${this.key(runId)}:failures`, jobId, code)
      .expire(`${this.key(runId)}:failures`, RUN_TTL_SECS)
      .exec();
  }

  async markRecorded(runId: string, recording = 1): Promise<void> {
    await this.redis.eval(MARK_RECORDED_SCRIPT, 1, this.key(runId), recording);
  }

  async state(runId: string): Promise<RunState> {
    const [hash, failures] = await Promise.all([this.redis.hgetall(this.key(runId)), this.redis.hgetall(`${this.key(runId)}:failures`)]);
    const counts: RunCounts = {};
    for (const [field, value] of Object.entries(hash)) {
      if (!['startedAt', 'finishedAt', 'status', 'pending', 'generation', 'cancelledAt'].includes(field)) counts[field] = Number(value);
    }
    for (const code of Object.values(failures)) counts[`failures:${code}`] = (counts[`failures:${code}`] ?? 0) + 1;
    const pending = Number(hash.pending ?? 0);
    const status = (hash.status as RunState['status'] | undefined) ?? 'unknown';
    return {
      runId,
      startedAt: hash.startedAt ?? null,
      finishedAt: hash.finishedAt ?? null,
      status: status === 'running' && hash.finishedAt && pending <= 0 ? 'finished' : status,
      pending,
      counts,
      ...(hash.cancelledAt ? { cancelledAt: hash.cancelledAt } : {}),
    };
  }

  /** Marks a known run cancelled (its jobs in hand finish but add no next jobs); false when Redis has no such run. */
  async cancel(runId: string): Promise<boolean> {
    if (!(await this.redis.hexists(this.key(runId), 'startedAt'))) return false;
    await this.redis.hsetnx(this.key(runId), 'cancelledAt', new Date().toISOString());
    return true;
  }

  async isCancelled(runId: string): Promise<boolean> {
    return (await this.redis.hexists(this.key(runId), 'cancelledAt')) === 1;
  }

  async lastRunId(): Promise<string | null> {
    return this.redis.get(`${this.prefix}:last-run-id`);
  }

  /**
   * The latest `limit` runs begun, newest first, from a sorted set by start time (for the UI's running runs: no SCAN
   * over a keyspace of millions of job keys). Runs whose keys have expired (7 days untouched) are dropped from it.
   */
  async recentRunIds(limit = 200): Promise<string[]> {
    const ids = await this.redis.zrevrange(this.runsKey(), 0, limit - 1);
    const alive = await Promise.all(ids.map((id) => this.redis.exists(this.key(id))));
    const gone = ids.filter((_id, i) => alive[i] === 0);
    if (gone.length > 0) await this.redis.zrem(this.runsKey(), ...gone);
    return ids.filter((_id, i) => alive[i] === 1);
  }

  private runsKey(): string {
    return `${this.prefix}:runs`;
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
