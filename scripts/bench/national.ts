/**
 * bench national: a night's crawl of ≥1,000 portals, politely. One Source per reachable simulated portal (its start
 * URLs are the planted 年报 column URLs: discovery is benched on its own), crawled and fetched through real BullMQ
 * queues by one real worker process (crawl and fetch workers only), every host asked at most once per `--delay-ms`.
 *
 * Extract, parse and load are left out: the run ends when the crawl and fetch queues are drained, documents fetched
 * into the archive. The extract jobs the fetches queue are never taken (no extract worker) and go with the private
 * Redis at the end.
 *
 * Prints pages (HTTP requests the portals answered during the run), wall_s (first enqueue to drained queues), bound_s
 * (the least time the per-host delays allow: max over hosts of (pages_h − 1) × delay), ratio = bound_s / wall_s,
 * the worker's peak RSS (VmHWM) and CPU time, and Redis' peak memory over its start (used_memory_peak − used_memory, a private
 * redis-server, so that nobody else's keys count). Options: --portals N simulated portals (default 1100),
 * --delay-ms MS (default 1000).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../config/config.ts';
import type { Source } from '../../crawlers/types.ts';
import { enqueueRun, openPipeline, type Pipeline } from '../../jobs/pipeline.ts';
import { startPrivateRedis } from '../../jobs/redis.ts';
import type { RequestObserver, ServedRequest } from '../../simulator/http-util.ts';
import { startNationalSimulator } from '../../simulator/national/start-national-simulator.ts';
import { formatBenchLine, type BenchFields } from './_measure.ts';

const WORKER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), '_national-worker.ts');
const MB = 1024 * 1024;
/** Simulated portals by default: about 8% of them are dead or browser-only, so that ≥1,000 are crawled. */
const DEFAULT_PORTALS = 1100;
/** Per-host delay by default: one request a second per host (the busiest simulated host has ~260 pages). */
const DEFAULT_DELAY_MS = 1000;

/** `--name value` from the command line, as a number. */
function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

interface Portals {
  sources: Source[];
  close(): Promise<void>;
}

/**
 * The national simulator's portals that answer plain HTTP (ok and moved; not dead ones, nor those only a browser
 * passes), each as a Source whose start URLs are its planted 年报 columns.
 */
async function startPortals(count: number, observe: RequestObserver): Promise<Portals> {
  const simulator = await startNationalSimulator({ portals: count, onRequest: observe });
  const sources = simulator.entries.flatMap((entry, index): Source[] => {
    const { status, columns } = simulator.manifest[index]!;
    if ((status !== 'ok' && status !== 'moved') || columns.length === 0) return [];
    const startUrls = columns.map((column) => column.url);
    return [
      {
        id: entry.id,
        name: entry.name,
        level: entry.level,
        startUrls,
        allowedHosts: [...new Set(startUrls.map((url) => new URL(url).host))],
      },
    ];
  });
  return { sources, close: () => simulator.close() };
}

/** Starts the worker process and resolves once its workers are listening. */
async function startWorker(config: Config): Promise<ChildProcess> {
  const env = {
    ...process.env,
    REDIS_URL: config.redisUrl,
    YANGGUANG_DATA_DIR: config.dataDir,
    YANGGUANG_QUEUE_PREFIX: config.queuePrefix,
    YANGGUANG_ALLOW_PRIVATE_NETWORKS: '1',
    YANGGUANG_HOST_DELAY_MS: String(config.hostDelayMs),
  };
  // BENCH_WORKER_NODE_ARGS: extra node flags for the worker (--cpu-prof, --trace-gc…), to look into a run.
  const nodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', WORKER_SCRIPT], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => (chunk.toString().includes('ready') ? resolve() : process.stderr.write(chunk)));
    child.once('exit', (code) => reject(new Error(`the bench worker exited with ${code} before it was ready`)));
  });
  child.once('exit', (code, signal) => code !== 0 && console.error(`bench national: the worker exited with ${code ?? signal}`));
  return child;
}

/** CPU seconds (user + system) a live process has used so far (/proc/<pid>/stat). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command; in clock ticks of 1/100 s on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** SIGTERM (the worker closes its workers and exits), SIGKILL after 10 s. */
async function stopWorker(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGTERM');
  const timer = setTimeout(() => worker.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Peak resident set of a live process, in MB (/proc/<pid>/status VmHWM). */
function peakRssMb(pid: number): number {
  const line = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : NaN;
}

async function redisMemory(redis: Redis): Promise<{ used: number; peak: number }> {
  const info = await redis.info('memory');
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return { used: field('used_memory'), peak: field('used_memory_peak') };
}

/** Resolves once every crawl job has ended and nothing waits in the crawl or fetch queue. */
async function drained(pipeline: Pipeline, crawlJobs: number, worker: ChildProcess): Promise<void> {
  for (;;) {
    if (worker.exitCode !== null || worker.signalCode !== null) throw new Error('the bench worker died during the run');
    const [crawl, fetch] = await Promise.all([pipeline.queues.crawl.getJobCounts(), pipeline.queues.fetch.getJobCounts()]);
    const busy = (counts: Record<string, number>) =>
      (counts.waiting ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0);
    if ((crawl.completed ?? 0) + (crawl.failed ?? 0) >= crawlJobs && busy(crawl) === 0 && busy(fetch) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Requests per host (host:port). */
function pagesPerHost(requests: ServedRequest[]): Map<string, number> {
  const perHost = new Map<string, number>();
  for (const served of requests) {
    const host = new URL(served.url).host;
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
  }
  return perHost;
}

/** bench national: portals pages wall_s bound_s ratio peak_rss_mb redis_mb delay_ms. */
export async function bench(): Promise<BenchFields> {
  const delayMs = numberArg('delay-ms', DEFAULT_DELAY_MS);
  const dir = mkdtempSync(path.join(tmpdir(), 'yg-bench-national-'));
  let recording = false;
  const served: ServedRequest[] = [];
  const portals = await startPortals(numberArg('portals', DEFAULT_PORTALS), (request) => recording && served.push(request));
  const redisServer = await startPrivateRedis(path.join(dir, 'redis'));
  const config = loadConfig({
    env: {},
    overrides: {
      allowPrivateNetworks: true,
      redisUrl: redisServer.url,
      dataDir: path.join(dir, 'data'),
      queuePrefix: 'bench-national',
      hostDelayMs: delayMs,
    },
  });
  const redis = new Redis(redisServer.url);
  let worker: ChildProcess | null = null;
  let pipeline: Pipeline | null = null;
  try {
    worker = await startWorker(config);
    pipeline = await openPipeline(config);
    const before = await redisMemory(redis);
    const cpuBefore = cpuSeconds(worker.pid!);
    recording = true;
    const start = process.hrtime.bigint();
    await enqueueRun(pipeline, portals.sources);
    await drained(pipeline, portals.sources.length, worker);
    const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    recording = false;
    const after = await redisMemory(redis);
    const perHost = pagesPerHost(served);
    const busiestHostPages = Math.max(0, ...perHost.values());
    // The least time the per-host delays allow: the busiest host's pages one delay apart.
    const boundS = (Math.max(1, busiestHostPages) - 1) * (delayMs / 1000);
    return {
      portals: portals.sources.length,
      pages: served.length,
      wall_s: wallSeconds,
      bound_s: boundS,
      ratio: boundS / wallSeconds,
      peak_rss_mb: peakRssMb(worker.pid!),
      redis_mb: (after.peak - before.used) / MB,
      worker_cpu_s: cpuSeconds(worker.pid!) - cpuBefore,
      delay_ms: delayMs,
      hosts: perHost.size,
      busiest_host_pages: busiestHostPages,
    };
  } finally {
    if (worker) await stopWorker(worker);
    await pipeline?.close();
    redis.disconnect();
    await redisServer.stop();
    await portals.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatBenchLine('national', await bench()));
  process.exit(0);
}
