/**
 * The loader end to end: ≥10,000 simulated reports (load/fixtures/synthetic-reports.ts: 200 cells, 40 lines of text
 * and a 30×8 table each, as the extract and parse stages leave them on disk) queued as one run's load jobs, written by
 * the real load worker (jobs/load-worker.ts: batches, write windows, run bookkeeping) from a private Redis into a fresh
 * DuckDB file, until the run's summary is recorded. Prints reports, loader_s (from the worker's start to the summary)
 * and reports_per_s. Options: --reports N (default 10000). The loader logs at warn, as under `--quiet`: its per-job info
 * lines (10,000 of them) would bury the bench's line; they cost it well under 1 % (one line ≈ 20 µs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/config.ts';
import { dataLayout } from '../../config/data-layout.ts';
import { LOAD_JOB } from '../../jobs/payloads.ts';
import { enqueueJobs, openPipeline, startWorkers } from '../../jobs/pipeline.ts';
import { startPrivateRedis } from '../../jobs/redis.ts';
import { syntheticReport, writeSyntheticLoadJob } from '../../load/fixtures/synthetic-reports.ts';
import { runReadOnlySql } from '../../load/sql.ts';
import { withWarehouse } from '../../load/warehouse.ts';
import { logger } from '../../shared/logger.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

function reportsOption(): number {
  const index = process.argv.indexOf('--reports');
  return index > 0 ? Number(process.argv[index + 1]) : 10_000;
}

export async function bench(): Promise<BenchFields> {
  const reports = reportsOption();
  const dir = await mkdtemp(path.join(tmpdir(), 'yangguang-bench-load-e2e-'));
  const redis = await startPrivateRedis(path.join(dir, 'redis'));
  const log = logger();
  const level = log.level;
  log.level = 'warn';
  try {
    const config = loadConfig({
      env: {},
      overrides: { redisUrl: redis.url, dataDir: path.join(dir, 'data'), queuePrefix: 'bench-load-e2e' },
    });
    const runId = 'bench-load-e2e';
    const rawDir = dataLayout(config.dataDir).rawDir;
    const jobs = [];
    for (let n = 0; n < reports; n += 1) {
      jobs.push({
        name: LOAD_JOB.document,
        key: `r${n}`,
        data: await writeSyntheticLoadJob(config.dataDir, syntheticReport(n, runId, rawDir)),
      });
    }
    await withWarehouse(config.duckdbPath, async () => undefined); // the file exists, as a running loader finds it
    const pipeline = await openPipeline(config);
    await enqueueJobs(pipeline, runId, 'load', jobs);
    const loader = await timed(async () => {
      const workers = startWorkers(pipeline, { stages: ['load'] });
      await pipeline.tracker.waitUntilRecorded(runId, { pollMs: 100 });
      await Promise.all(workers.map((worker) => worker.close()));
    });
    await pipeline.close();
    const loaded = Number((await runReadOnlySql(config.duckdbPath, 'select count(*) from reports')).rows[0]![0]);
    if (loaded !== reports) throw new Error(`${loaded} of ${reports} reports loaded`);
    return { reports, loader_s: loader.seconds, reports_per_s: perSecond(reports, loader.seconds) };
  } finally {
    log.level = level;
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
