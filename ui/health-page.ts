/**
 * `/health`: is Redis answering, can the warehouse be read, are workers connected to every queue. JSON for machines
 * (monitoring, load balancers: 503 when Redis or the warehouse is down), a page for people.
 */
import { existsSync } from 'node:fs';
import type { Pipeline } from '../jobs/pipeline.ts';
import { pingRedis } from '../jobs/redis.ts';
import { WarehouseLockedError } from '../load/errors.ts';
import { readWarehouseHealth, type WarehouseHealth } from '../load/run-history.ts';
import { Html, escapeHtml, layout, table, timeIn } from './html.ts';

/** ok: all answer and every queue has a worker; degraded: some queue has none (its jobs wait); down: Redis or the warehouse fails. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface Health {
  status: HealthStatus;
  /** ISO 8601, when this was checked. */
  checkedAt: string;
  redis: { ok: boolean; url: string; error?: string };
  warehouse: {
    ok: boolean;
    path: string;
    /** absent: nothing loaded yet (fine); busy: the loader held the file throughout the check (fine, it writes). */
    state: 'readable' | 'absent' | 'busy' | 'error';
    counts?: WarehouseHealth;
    error?: string;
  };
  /** Per queue: workers connected now, and jobs waiting, active and failed. Empty when Redis is down. */
  queues: Array<{ queue: string; workers: number; waiting: number; active: number; failed: number }>;
}

/** Longest wait for Redis's answers before calling it down. */
const REDIS_TIMEOUT_MS = 2000;

export async function checkHealth(pipeline: Pipeline): Promise<Health> {
  const { config } = pipeline;
  const redisUp = await pingRedis(config.redisUrl, REDIS_TIMEOUT_MS);
  const redis = { ok: redisUp, url: redactedUrl(config.redisUrl), ...(redisUp ? {} : { error: 'no answer to PING' }) };
  const [warehouse, queues] = await Promise.all([checkWarehouse(config.duckdbPath), redisUp ? readQueues(pipeline) : []]);
  const down = !redis.ok || !warehouse.ok;
  const idle = queues.some((queue) => queue.workers === 0);
  return { status: down ? 'down' : idle ? 'degraded' : 'ok', checkedAt: new Date().toISOString(), redis, warehouse, queues };
}

async function checkWarehouse(file: string): Promise<Health['warehouse']> {
  if (!existsSync(file)) return { ok: true, path: file, state: 'absent' };
  try {
    const counts = await readWarehouseHealth(file);
    return { ok: true, path: file, state: 'readable', ...(counts ? { counts } : {}) };
  } catch (error) {
    if (error instanceof WarehouseLockedError) return { ok: true, path: file, state: 'busy' };
    return { ok: false, path: file, state: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}

async function readQueues(pipeline: Pipeline): Promise<Health['queues']> {
  return withTimeout(
    Promise.all(
      Object.entries(pipeline.queues).map(async ([name, queue]) => {
        const [workers, counts] = await Promise.all([queue.getWorkersCount(), queue.getJobCounts('waiting', 'active', 'failed')]);
        return { queue: name, workers, waiting: counts.waiting ?? 0, active: counts.active ?? 0, failed: counts.failed ?? 0 };
      }),
    ),
    REDIS_TIMEOUT_MS,
    [],
  );
}

function withTimeout<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

/** A Redis URL without its password, fit to show. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://…';
  }
}

/** The health page for people; refreshes itself. */
export function renderHealthPage(health: Health, timezone: string): string {
  const mark = (ok: boolean, text: string) => new Html(`<span class="${ok ? 'ok' : 'bad'}">${escapeHtml(text)}</span>`);
  const { warehouse } = health;
  const warehouseState = {
    readable: 'readable',
    absent: 'not created yet: nothing loaded',
    busy: 'busy: the loader is writing',
    error: `unreadable: ${warehouse.error ?? ''}`,
  }[warehouse.state];
  const services = table(
    ['service', 'state', 'where'],
    [
      ['Redis', mark(health.redis.ok, health.redis.ok ? 'answering' : 'down: no answer to PING'), health.redis.url],
      ['warehouse (DuckDB)', mark(warehouse.ok, warehouseState), warehouse.path],
    ],
  );
  const counts = warehouse.counts
    ? `<p>${warehouse.counts.reports} reports, ${warehouse.counts.runs} runs recorded (the latest started ${escapeHtml(timeIn(warehouse.counts.lastRunAt, timezone) || 'never')}), ${warehouse.counts.failures} unresolved failures.</p>`
    : '';
  const queues = health.redis.ok
    ? table(
        ['queue', 'workers', 'waiting', 'active', 'failed'],
        health.queues.map((queue) => [
          queue.queue,
          queue.workers ? String(queue.workers) : mark(false, '0: no worker'),
          queue.waiting,
          queue.active,
          queue.failed,
        ]),
        { numeric: ['workers', 'waiting', 'active', 'failed'] },
      )
    : '<p class="bad">Queues unknown while Redis is down.</p>';
  const verdict = { ok: 'ok', degraded: 'degraded: a queue has no worker, its jobs wait (start one: yangguang worker)', down: 'down' }[
    health.status
  ];
  const statusClass = { ok: 'ok', degraded: 'warn', down: 'bad' }[health.status];
  const body = `<p>Status: <span class="${statusClass}">${escapeHtml(verdict)}</span> · checked ${escapeHtml(timeIn(health.checkedAt, timezone))} · for machines the same address answers JSON (<code>curl …/health</code>; 503 when down)</p>
${services}${counts}<h2>Workers per queue</h2>${queues}`;
  return layout({ title: 'Health', timezone, refreshSecs: 10 }, body);
}
