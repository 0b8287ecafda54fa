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
  // Three reports are published as scans (an image-only PDF, image attachments, <img> tables): read by OCR.
  const demo = await startDemoPortals({ scans: true });
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
  /** Figures loaded differently from the planted ones with nothing saying so: silent errors (or not loaded). */
  mismatches: string[];
  /** Figures of scanned reports OCR read differently, in a report that carries an ocr_uncertain anomaly. */
  flagged: string[];
}

/** A loaded figure: its value, whether OCR read it, and whether its report is flagged ocr_uncertain. */
interface LoadedFigure {
  value: number | null;
  ocr: boolean;
  flagged: boolean;
}

async function loadedFigures(duckdbPath: string): Promise<Map<string, Map<string, LoadedFigure>>> {
  const loaded = await runNamedReadOnlyQuery(duckdbPath, 'latest-report-cells');
  const byReport = new Map<string, Map<string, LoadedFigure>>();
  for (const [issuer, year, key, value, ocr, flagged] of loaded.rows as [string, number, string, number | null, boolean, boolean][]) {
    const id = `${issuer}|${Number(year)}`;
    if (!byReport.has(id)) byReport.set(id, new Map());
    byReport.get(id)!.set(key, { value: value === null ? null : Number(value), ocr, flagged });
  }
  return byReport;
}

/**
 * Compares every planted figure with the loaded cells of the latest report of the same issuer and year. A figure
 * of a scanned report that OCR read differently passes only when its report is flagged ocr_uncertain (honest
 * uncertainty); the message says how many figures OCR read and which were flagged.
 */
export async function compareWithPlanted(duckdbPath: string, planted: PlantedReport[]): Promise<PlantedCheck> {
  const byReport = await loadedFigures(duckdbPath);
  const mismatches: string[] = [];
  const flagged: string[] = [];
  let cells = 0;
  let ocrCells = 0;
  for (const report of planted) {
    const found = byReport.get(`${report.issuer}|${report.year}`);
    if (!found) {
      mismatches.push(`${report.issuer} ${report.year}: not loaded`);
      continue;
    }
    for (const [key, value] of Object.entries(report.cells)) {
      cells += 1;
      const figure = found.get(key);
      if (figure?.value === value) {
        if (figure.ocr) ocrCells += 1;
        continue;
      }
      const difference = `${report.issuer} ${report.year} ${key}: planted ${value}, loaded ${figure ? figure.value : 'missing'}`;
      (report.scanned && figure?.flagged ? flagged : mismatches).push(difference);
    }
  }
  const summary = await runNamedReadOnlyQuery(duckdbPath, 'latest-report-figures');
  const ok = mismatches.length === 0;
  const scanned = planted.filter((report) => report.scanned).length;
  const equal = cells - flagged.length;
  const ocrPart = scanned > 0 ? ` (${ocrCells} of them read by OCR from ${scanned} scanned reports)` : '';
  const flaggedPart =
    flagged.length > 0
      ? `; ${flagged.length} read differently by OCR, each in a report flagged ocr_uncertain:\n  ${flagged.slice(0, 20).join('\n  ')}`
      : '';
  const message = [
    `\nreports in DuckDB (latest revision per issuer and year):\n${formatTable(summary)}`,
    ok
      ? `check: all ${planted.length} planted reports loaded, ${equal} figures equal to the planted ones${ocrPart}${flaggedPart}`
      : `check FAILED: ${mismatches.length} mismatches\n  ${mismatches.slice(0, 20).join('\n  ')}`,
  ].join('\n');
  return { ok, message, mismatches, flagged };
}
