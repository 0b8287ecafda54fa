import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HostScheduler, type ReleaseSlot, type SchedulerClock } from './host-scheduler.ts';

/** A clock that moves only when told to, firing the timers that come due. */
class ManualClock implements SchedulerClock {
  #now = 0;
  #timers: { at: number; fire: () => void }[] = [];
  now(): number {
    return this.#now;
  }
  setTimer(fire: () => void, ms: number): () => void {
    const timer = { at: this.#now + ms, fire };
    this.#timers.push(timer);
    return () => void (this.#timers = this.#timers.filter((candidate) => candidate !== timer));
  }
  /** Moves time forward by `ms`, firing due timers in time order. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((timer) => timer !== due);
      this.#now = due.at;
      due.fire();
      await settle();
    }
    this.#now = until;
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Asks for `count` slots on `host`, logging each grant as `host@time`; pushes the releases to `releases` in grant order. */
function ask(
  scheduler: HostScheduler,
  clock: ManualClock,
  host: string,
  count: number,
  log: string[],
  budget = {},
  releases: ReleaseSlot[] = [],
): ReleaseSlot[] {
  for (let index = 0; index < count; index += 1) {
    void scheduler.acquire(host, budget).then((release) => {
      log.push(`${host}@${clock.now()}`);
      releases.push(release);
    });
  }
  return releases;
}

describe('HostScheduler', () => {
  test('grants a host no more than its concurrency at once, and the next slot when one is released', async () => {
    const clock = new ManualClock();
    const scheduler = new HostScheduler({ clock, defaultBudget: { concurrency: 2, delayMs: 0 } });
    const log: string[] = [];
    const releases = ask(scheduler, clock, 'a', 5, log);
    await settle();
    assert.equal(log.length, 2);
    releases[0]!();
    releases[0]!(); // a second call releases nothing more
    await settle();
    assert.equal(log.length, 3);
    assert.equal(scheduler.inFlight, 2);
  });

  test('starts requests on one host no closer than its delay, not one millisecond sooner', async () => {
    const clock = new ManualClock();
    const scheduler = new HostScheduler({ clock, defaultBudget: { concurrency: 4, delayMs: 1_000 } });
    const log: string[] = [];
    const releases = ask(scheduler, clock, 'a', 3, log);
    await settle();
    await clock.advance(999);
    assert.deepEqual(log, ['a@0']);
    await clock.advance(1);
    assert.deepEqual(log, ['a@0', 'a@1000']);
    releases.forEach((release) => release());
    await clock.advance(5_000);
    assert.deepEqual(log, ['a@0', 'a@1000', 'a@2000']);
  });

  test('a big host does not starve the others: hosts take turns under the global cap', async () => {
    const clock = new ManualClock();
    const scheduler = new HostScheduler({ clock, maxInFlight: 1, defaultBudget: { concurrency: 2, delayMs: 0 } });
    const log: string[] = [];
    const granted: ReleaseSlot[] = [];
    ask(scheduler, clock, 'big', 6, log, {}, granted);
    ask(scheduler, clock, 'b', 2, log, {}, granted);
    ask(scheduler, clock, 'c', 2, log, {}, granted);
    await settle();
    while (log.length < 10) {
      const before = log.length;
      assert.equal(scheduler.inFlight, 1, 'one request at a time under a cap of 1');
      granted[before - 1]!();
      await settle();
      assert.equal(log.length, before + 1);
    }
    // The first grant went to big while it was alone; from then on each host in turn.
    assert.deepEqual(
      log.map((grant) => grant.split('@')[0]),
      ['big', 'big', 'b', 'c', 'big', 'b', 'c', 'big', 'big', 'big'],
    );
  });

  test('a host waiting out its delay leaves the global slots to hosts that are ready', async () => {
    const clock = new ManualClock();
    const scheduler = new HostScheduler({ clock, maxInFlight: 2, defaultBudget: { concurrency: 1, delayMs: 1_000 } });
    const log: string[] = [];
    const slow = ask(scheduler, clock, 'slow', 3, log);
    const fast = ask(scheduler, clock, 'fast', 3, log, { delayMs: 0 });
    await settle();
    assert.deepEqual(log, ['slow@0', 'fast@0']);
    slow[0]!();
    fast[0]!();
    await settle();
    assert.deepEqual(log, ['slow@0', 'fast@0', 'fast@0']);
    fast[1]!();
    await settle();
    assert.deepEqual(log.slice(3), ['fast@0']);
    await clock.advance(1_000);
    assert.deepEqual(log.slice(4), ['slow@1000']);
  });

  test('two callers naming one host share its budget', async () => {
    const clock = new ManualClock();
    const scheduler = new HostScheduler({ clock, defaultBudget: { concurrency: 1, delayMs: 0 } });
    const log: string[] = [];
    ask(scheduler, clock, 'shared:80', 2, log);
    ask(scheduler, clock, 'shared:80', 2, log);
    await settle();
    assert.equal(log.length, 1);
    assert.equal(scheduler.inFlight, 1);
  });

  test('run releases the slot when the task throws', async () => {
    const scheduler = new HostScheduler({ defaultBudget: { concurrency: 1, delayMs: 0 } });
    await assert.rejects(
      scheduler.run('http://h.example/', {}, async () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(scheduler.inFlight, 0);
    assert.equal(await scheduler.run('http://h.example/x', {}, async () => 'again'), 'again');
  });
});
