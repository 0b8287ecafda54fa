/** `yangguang status`, and the run summary that `demo` and `crawl --wait` print. */
import { existsSync } from 'node:fs';
import { plainTable } from './plain-table.ts';
import type { Config } from '../config/config.ts';
import { readCatalog } from '../crawlers/catalog.ts';
import { WarehouseLockedError, runNamedReadOnlyQuery } from '../load/index.ts';
import { readPortalHealth, type PortalHealth } from '../load/portal-health.ts';
import { STAGES } from '../jobs/payloads.ts';
import { openPipeline } from '../jobs/pipeline.ts';
import { pingRedis } from '../jobs/redis.ts';
import type { RunState } from '../jobs/run-tracker.ts';
import { RUN_COUNTER, sourceCountsOf } from '../ledger/run-counters.ts';
import { EXIT } from './errors.ts';
import { formatInZone } from './time.ts';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

/**
 * The queues, the last run, then the portals' health by their latest discoveries (read from DuckDB, without Redis
 * too). Returns the exit code: 3 when no Redis answers, 1 when the last run had failures or flagged sources, else 0.
 */
export async function printStatus(config: Config): Promise<number> {
  const exitCode = await printQueues(config);
  await printPortalHealth(config);
  return exitCode;
}

async function printQueues(config: Config): Promise<number> {
  if (!(await pingRedis(config.redisUrl))) {
    console.log(`queues: no Redis answers at ${config.redisUrl} (start redis-server, or set REDIS_URL)`);
    return EXIT.service;
  }
  const pipeline = await openPipeline(config);
  try {
    const table = plainTable(['queue', ...JOB_STATES]);
    for (const stage of STAGES) {
      const counts = await pipeline.queues[stage].getJobCounts(...JOB_STATES);
      table.push([stage, ...JOB_STATES.map((state) => counts[state] ?? 0)]);
    }
    console.log(`queues on ${config.redisUrl} (prefix ${config.queuePrefix}):\n${table.toString()}`);
    const runId = await pipeline.tracker.lastRunId();
    if (!runId) {
      console.log('no run yet');
      return EXIT.ok;
    }
    const state = await pipeline.tracker.state(runId);
    if (isLost(state)) {
      console.log(`run ${runId}: its records are gone from Redis (restarted without persistence, or expired); see DuckDB's crawl_runs`);
      return EXIT.ok;
    }
    const flags = await readSourceFlags(config, runId);
    printRunSummary(state, flags, config.timezone);
    return state.status === 'recorded' ? runExitCode(state, flags) : EXIT.ok;
  } finally {
    await pipeline.close();
  }
}

/** Whether a source needs a look, as the run's summary recorded it in source_health. */
export interface SourceFlag {
  flagged: boolean;
  note: string | null;
}

/**
 * The run's source_health flags from DuckDB, by source id; empty while the run is not recorded yet, or when the
 * file is absent or held by the loader at this moment (status then shows the counts alone).
 */
export async function readSourceFlags(config: Config, runId: string): Promise<Map<string, SourceFlag>> {
  if (!existsSync(config.duckdbPath)) return new Map();
  try {
    const { rows } = await runNamedReadOnlyQuery(config.duckdbPath, 'run-source-flags', { run_id: runId });
    return new Map(
      rows.map(([sourceId, flagged, note]) => [String(sourceId), { flagged: flagged === true, note: note === null ? null : String(note) }]),
    );
  } catch {
    return new Map();
  }
}

/**
 * True when Redis no longer holds what `begin` wrote for the run: it restarted without persistence, or the run
 * expired. Its counts (negative pending, no start) would then be nonsense, and its end may never come.
 */
export function isLost(state: RunState): boolean {
  return state.startedAt === null || state.pending < 0;
}

/** 1 when the recorded run had failed jobs, flagged sources or was cancelled; else 0. */
export function runExitCode(state: RunState, flags: Map<string, SourceFlag>): number {
  const failed = Object.entries(state.counts).some(([field, n]) => field.endsWith(':failed') && n > 0);
  const flagged = [...flags.values()].some((flag) => flag.flagged);
  return failed || flagged || state.cancelledAt ? EXIT.failures : EXIT.ok;
}

/** Per-stage outcomes, then one line per source (with its health flag and note when `flags` has them). */
export function printRunSummary(state: RunState, flags: Map<string, SourceFlag> = new Map(), timeZone?: string): void {
  const at = (iso: string) => (timeZone ? formatInZone(iso, timeZone) : iso);
  const count = (field: string) => state.counts[field] ?? 0;
  const stages = STAGES.map((stage) => {
    const failed = count(`${stage}:failed`);
    const cancelled = count(`${stage}:cancelled`);
    return `${stage} ${count(`${stage}:completed`)}${failed ? ` (${failed} failed)` : ''}${cancelled ? ` (${cancelled} cancelled)` : ''}`;
  });
  const status = state.cancelledAt ? `cancelled at ${at(state.cancelledAt)}, ${state.status}` : state.status;
  const zone = timeZone ? ` (${timeZone})` : '';
  console.log(
    `run ${state.runId}: ${status}, started ${state.startedAt ? at(state.startedAt) : 'at an unknown time'}, finished ${state.finishedAt ? at(state.finishedAt) : '-'}${zone}`,
  );
  console.log(`  jobs: ${stages.join(' · ')}${state.pending ? ` · ${state.pending} pending` : ''}`);
  console.log(`  reports loaded: ${count(RUN_COUNTER.reports)}, anomalies recorded: ${count(RUN_COUNTER.anomalies)}`);
  const failures = Object.entries(state.counts).filter(([field, n]) => field.startsWith('failures:') && n > 0);
  if (failures.length > 0) console.log(`  failures by reason: ${failures.map(([field, n]) => `${field.slice(9)} ×${n}`).join(', ')}`);
  const sources = sourceCountsOf(state.counts);
  if (sources.size === 0) return;
  const table = plainTable(['source', 'pages', 'documents', 'reports', 'new', 'unchanged', 'gone', 'errors', 'health']);
  for (const id of [...sources.keys()].sort()) {
    const counts = sources.get(id)!;
    const flag = flags.get(id);
    const health = !flag ? '' : flag.flagged ? `FLAGGED: ${flag.note ?? ''}` : (flag.note ?? 'ok');
    table.push([
      id,
      counts.pages,
      counts.discovered,
      counts.reports,
      counts.new,
      counts.unchanged,
      counts.disappeared,
      counts.errors,
      health,
    ]);
  }
  console.log(table.toString());
}

/** Portals listed by name in `status`; the rest are counted, with where to see them all. */
const PROBLEMS_SHOWN = 20;

/**
 * The portal-health section: portals per status, then the portals not ok (the most recently checked first) with
 * their reasons. Prints nothing when the warehouse holds no discovery.
 */
export async function printPortalHealth(
  config: Pick<Config, 'duckdbPath' | 'catalogFile'>,
  print: (line: string) => void = console.log,
): Promise<void> {
  let health: PortalHealth | null;
  try {
    health = await readPortalHealth(config.duckdbPath);
  } catch (error) {
    if (!(error instanceof WarehouseLockedError)) throw error;
    print('portals: the warehouse is busy (the loader is writing); try again in a moment');
    return;
  }
  if (!health) return;
  const total = health.counts.reduce((sum, count) => sum + count.portals, 0);
  print(`portals by their latest discovery (${total}): ${health.counts.map((count) => `${count.status} ${count.portals}`).join(' · ')}`);
  if (health.problems.length === 0) return;
  const names = catalogPaths(config.catalogFile);
  const table = plainTable(['id', 'name', 'status', 'reason', 'moved to', 'checked']);
  for (const problem of health.problems.slice(0, PROBLEMS_SHOWN)) {
    table.push([
      problem.sourceId,
      names.get(problem.sourceId) ?? '',
      problem.status,
      problem.reason ?? '',
      problem.movedTo ?? '',
      problem.checkedAt,
    ]);
  }
  print(`portals not ok:\n${table.toString()}`);
  const more = health.problems.length - PROBLEMS_SHOWN;
  if (more > 0) print(`… and ${more} more; see \`yangguang sources list\` (or the UI's Portals page)`);
}

/** Each catalog entry's place (江苏省/淮安市/淮阴区), by id: names alone repeat across provinces. */
function catalogPaths(catalogFile?: string): Map<string, string> {
  return new Map(readCatalog(catalogFile).map((entry) => [entry.id, entry.path]));
}
