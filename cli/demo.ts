/**
 * `yangguang demo`: the main job end to end on the bundled demo portals — crawl, fetch, extract, parse, load
 * through the queues — then a check that DuckDB holds exactly the figures the portals planted.
 */
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { enqueueRun, openPipeline, startWorkers } from '../jobs/pipeline.ts';
import { ensureRedis } from '../jobs/redis.ts';
import { formatTable, runNamedReadOnlyQuery } from '../load/index.ts';
import { startDemoPortals, type PlantedReport } from '../simulator/index.ts';
import { concludeRun, waitForRun } from './run-wait.ts';

export async function runDemo(config: Config): Promise<void> {
  const redis = await ensureRedis(config.redisUrl, path.join(config.dataDir, 'redis'));
  console.log(
    redis.privateServer
      ? `redis: none at ${config.redisUrl}; started a private redis-server at ${redis.url} (AOF in ${config.dataDir}/redis)`
      : `redis: ${redis.url}`,
  );
  // The demo portals run on 127.0.0.1: the network policy lets this run, and only this run, reach them.
  const demoConfig: Config = { ...config, redisUrl: redis.url, allowPrivateNetworks: true };
  const demo = await startDemoPortals();
  const pipeline = await openPipeline(demoConfig);
  const workers = startWorkers(pipeline, { concurrency: 4 });
  try {
    for (const portal of demo.portals) console.log(`portal: ${portal.name} ${portal.source.startUrls[0]}`);
    const runId = await enqueueRun(
      pipeline,
      demo.portals.map((portal) => portal.source),
    );
    console.log(`run ${runId}: crawling ${demo.portals.length} demo portals…`);
    const result = await waitForRun(pipeline, runId, { inline: true });
    const exitCode = await concludeRun(demoConfig, result);
    if (result.kind !== 'recorded') {
      process.exitCode = exitCode;
      return;
    }
    const check = await compareWithPlanted(demoConfig.duckdbPath, demo.planted);
    console.log(check.message);
    if (!check.ok) process.exitCode = 1;
    console.log(
      `\nDuckDB: ${demoConfig.duckdbPath}. Try:\n  npx yangguang sql "select issuer, year, format, new_requests, granted, lawsuits from report_summary order by issuer"`,
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.close();
    await demo.close();
    await redis.stop();
  }
}

export interface PlantedCheck {
  ok: boolean;
  message: string;
  mismatches: string[];
}

/** Compares every planted figure with the loaded cells of the latest report of the same issuer and year. */
export async function compareWithPlanted(duckdbPath: string, planted: PlantedReport[]): Promise<PlantedCheck> {
  const loaded = await runNamedReadOnlyQuery(duckdbPath, 'latest-report-cells');
  const byReport = new Map<string, Map<string, number | null>>();
  for (const [issuer, year, key, value] of loaded.rows as [string, number, string, number | null][]) {
    const id = `${issuer}|${Number(year)}`;
    if (!byReport.has(id)) byReport.set(id, new Map());
    byReport.get(id)!.set(key, value === null ? null : Number(value));
  }
  const mismatches: string[] = [];
  let cells = 0;
  for (const report of planted) {
    const found = byReport.get(`${report.issuer}|${report.year}`);
    if (!found) {
      mismatches.push(`${report.issuer} ${report.year}: not loaded`);
      continue;
    }
    for (const [key, value] of Object.entries(report.cells)) {
      cells += 1;
      const actual = found.has(key) ? found.get(key) : 'missing';
      if (actual !== value) mismatches.push(`${report.issuer} ${report.year} ${key}: planted ${value}, loaded ${actual}`);
    }
  }
  const summary = await runNamedReadOnlyQuery(duckdbPath, 'latest-report-figures');
  const ok = mismatches.length === 0;
  const message = [
    `\nreports in DuckDB (latest revision per issuer and year):\n${formatTable(summary)}`,
    ok
      ? `check: all ${planted.length} planted reports loaded, ${cells} figures equal to the planted ones`
      : `check FAILED: ${mismatches.length} mismatches\n  ${mismatches.slice(0, 20).join('\n  ')}`,
  ].join('\n');
  return { ok, message, mismatches };
}
