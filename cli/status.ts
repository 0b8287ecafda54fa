/** `yangguang status`, and the run summary that `demo` and `crawl --wait` print. */
import { plainTable } from './plain-table.ts';
import type { Config } from '../config/config.ts';
import { STAGES } from '../jobs/payloads.ts';
import { openPipeline } from '../jobs/pipeline.ts';
import { pingRedis } from '../jobs/redis.ts';
import type { RunState } from '../jobs/run-tracker.ts';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;

export async function printStatus(config: Config): Promise<void> {
  if (!(await pingRedis(config.redisUrl))) {
    console.log(`queues: no Redis answers at ${config.redisUrl}`);
    return;
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
    if (runId) printRunSummary(await pipeline.tracker.state(runId));
    else console.log('no run yet');
  } finally {
    await pipeline.close();
  }
}

/** Per-stage outcomes, then one line per source. */
export function printRunSummary(state: RunState): void {
  const count = (field: string) => state.counts[field] ?? 0;
  const stages = STAGES.map((stage) => {
    const failed = count(`${stage}:failed`);
    return `${stage} ${count(`${stage}:completed`)}${failed ? ` (${failed} failed)` : ''}`;
  });
  console.log(`run ${state.runId}: ${state.status}, started ${state.startedAt ?? '?'}, finished ${state.finishedAt ?? '-'}`);
  console.log(`  jobs: ${stages.join(' · ')}${state.pending ? ` · ${state.pending} pending` : ''}`);
  console.log(`  reports loaded: ${count('reports')}, anomalies recorded: ${count('anomalies')}`);
  const sources = [...new Set(Object.keys(state.counts).filter((k) => k.startsWith('source:')).map((k) => k.split(':')[1]!))];
  if (sources.length === 0) return;
  const table = plainTable(['source', 'pages', 'documents', 'reports', 'new', 'errors']);
  for (const id of sources.sort()) {
    const field = (name: string) => count(`source:${id}:${name}`);
    table.push([id, field('pages'), field('discovered'), field('reports'), field('new'), field('errors')]);
  }
  console.log(table.toString());
}
