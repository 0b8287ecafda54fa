/** Helpers probes share: the pipeline with in-process workers, hostile jobs put straight on a queue, the failures table. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Job, Worker } from 'bullmq';
import type { Source } from '../../crawlers/types.ts';
import { enqueueRun, openPipeline, startWorkers, type Pipeline } from '../../jobs/pipeline.ts';
import type { Stage } from '../../jobs/payloads.ts';
import { waitFor } from '../../jobs/test-support.ts';
import { runReadOnlySql } from '../../load/index.ts';
import { retryWhileLocked } from '../../load/retry-locked.ts';
import type { Config } from '../../config/config.ts';
import type { ProbeContext } from './probe.ts';

const BIN = fileURLToPath(new URL('../../bin/yangguang.mjs', import.meta.url));

export interface RunningPipeline {
  pipeline: Pipeline;
  workers: Worker[];
}

/**
 * Opens the pipeline of `config` (default the probe's) and starts workers of `stages` (default every stage) in this
 * process; closed after the probe.
 */
export async function startPipeline(context: ProbeContext, config: Config = context.config, stages?: Stage[]): Promise<RunningPipeline> {
  const pipeline = await openPipeline(config);
  const workers = startWorkers(pipeline, { concurrency: 1, ...(stages ? { stages } : {}) });
  context.defer(async () => {
    await Promise.all(workers.map((worker) => worker.close(true)));
    await pipeline.close();
  });
  return { pipeline, workers };
}

export interface JobEnd {
  state: 'completed' | 'failed';
  reason: string;
  /** Attempts the queue made: 1 for a job failed at once. */
  attempts: number;
  job: Job;
}

/** Adds a job as an attacker with Redis access would (any name, any data) and waits for it to end for good. */
export async function addHostileJob(context: ProbeContext, pipeline: Pipeline, stage: Stage, name: string, data: unknown): Promise<JobEnd> {
  const job = await pipeline.queues[stage].add(name, data, {
    jobId: `hostile-${stage}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
  });
  return waitFor(async () => {
    const state = await pipeline.queues[stage].getJobState(job.id!);
    if (state !== 'completed' && state !== 'failed') return undefined;
    // Read after the state: a job read before it ended has no reason yet.
    const ended = (await pipeline.queues[stage].getJob(job.id!))!;
    return { state, reason: ended.failedReason ?? '', attempts: ended.attemptsMade, job: ended } as JobEnd;
  }, context.signal);
}

export interface FailureRow {
  run_id: string;
  stage: string;
  url: string;
  sha256: string | null;
  code: string;
  reason: string;
}

/** The failures table's rows with `code`, once at least one is there. */
export async function waitForFailureRows(context: ProbeContext, code: string, config: Config = context.config): Promise<FailureRow[]> {
  return waitFor(
    async () => {
      if (!existsSync(config.duckdbPath)) return undefined;
      const rows = await failureRows(config, code);
      return rows.length > 0 ? rows : undefined;
    },
    context.signal,
    200,
  );
}

async function failureRows(config: Config, code: string): Promise<FailureRow[]> {
  const quoted = code.replace(/'/g, "''");
  const result = await retryWhileLocked(() =>
    runReadOnlySql(config.duckdbPath, `select run_id, stage, url, sha256, code, reason from failures where code = '${quoted}'`),
  );
  return result.rows.map(
    ([run_id, stage, url, sha256, rowCode, reason]) => ({ run_id, stage, url, sha256, code: rowCode, reason }) as FailureRow,
  );
}

/** A file a hostile portal serves: its bytes and Content-Type. */
export interface ServedFile {
  contentType: string;
  body: Uint8Array | string;
}

/**
 * A portal on 127.0.0.1 whose 年报 column (`/nb/index.html`) links each of `documents` (path → file) as a
 * 2024 annual report published on `publishedAt` (2025-01-20), and the source that crawls it (`id`, optionally with a region code).
 */
export async function startHostilePortal(
  context: ProbeContext,
  documents: Record<string, ServedFile>,
  source: { id: string; regionCode?: string; name?: string; publishedAt?: string } = { id: 'hostile' },
) {
  const links = Object.keys(documents)
    .map(
      (file, index) =>
        `<li><a href="${file}" title="某县人民政府2024年政府信息公开工作年度报告${index || ''}">某县人民政府2024年政府信息公开工作年度报告${index || ''}</a><span>${source.publishedAt ?? '2025-01-20'}</span></li>`,
    )
    .join('');
  const server = await context.serve((request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (path === '/nb/index.html')
      return void response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<html><head><title>政府信息公开年报</title></head><body><ul>${links}</ul></body></html>`);
    const file = documents[path];
    if (!file) return void response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404</h1>');
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': Buffer.byteLength(file.body) }).end(file.body);
  });
  const host = new URL(server.url).host;
  return {
    server,
    source: {
      id: source.id,
      name: source.name ?? '某县人民政府',
      ...(source.regionCode ? { regionCode: source.regionCode, level: 'county' as const } : {}),
      startUrls: [`${server.url}/nb/index.html`],
      allowedHosts: [host],
    },
  };
}

/** Crawls `sources` as one run through the queues (workers in this process) and waits until its summary is recorded. */
export async function crawlRun(context: ProbeContext, running: RunningPipeline, sources: Source[]) {
  const runId = await enqueueRun(running.pipeline, sources);
  return running.pipeline.tracker.waitUntilRecorded(runId, { signal: context.signal });
}

/** Runs `yangguang <args>` as its own process, killed past `timeoutSecs` or once its memory passes `maxRssMb`. */
export async function runYangguang(
  context: ProbeContext,
  args: string[],
  options: { env?: Record<string, string>; timeoutSecs: number; maxRssMb?: number },
): Promise<{ code: number | null; signal: string | null; output: string; killedFor: 'time' | 'memory' | null }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      YANGGUANG_DATA_DIR: context.dataDir,
      YANGGUANG_QUEUE_PREFIX: context.config.queuePrefix,
      REDIS_URL: context.config.redisUrl,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  let killedFor: 'time' | 'memory' | null = null;
  const kill = (why: 'time' | 'memory') => {
    killedFor ??= why;
    child.kill('SIGKILL');
  };
  const timer = setTimeout(() => kill('time'), options.timeoutSecs * 1000);
  const watch = setInterval(() => {
    if (options.maxRssMb && rssMb(child.pid!) > options.maxRssMb) kill('memory');
  }, 200);
  context.defer(() => child.kill('SIGKILL'));
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  clearInterval(watch);
  return { code, signal, output, killedFor };
}

/** Resident memory of a process in MB (0 once it is gone). */
function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}
