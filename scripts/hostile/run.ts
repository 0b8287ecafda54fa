/**
 * The hostile suite: `npm run test:hostile [-- FILTER…] [--verbose] [--jobs N] [--probes-dir DIR]`.
 * Runs every probe of scripts/hostile/probes/*.ts (see probe.ts) in a child process of its own (four at a time), against local
 * servers on 127.0.0.1, each in a fresh data directory and within its time limit, then checks for leaks itself:
 * files written outside the data directory, the canary secret under the data directory or in DuckDB, requests
 * to the forbidden address. A FILTER keeps the probes whose name or boundary contains it.
 * Last line: `hostile: probes=<n> refused=<n> crashed=<n> leaked=<n> hung=<n>`; exit 1 unless every probe was
 * refused and nothing crashed, leaked or hung.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { createProbeHarness, probePaths, type ProbeSetup } from './context.ts';
import { leaked, type Probe, type ProbeResult } from './probe.ts';
import { findCanary } from './leaks.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where the probes live; `--probes-dir DIR` points elsewhere (the runner's own test). */
const PROBES_DIR = path.join(HERE, 'probes');
const DEFAULT_TIMEOUT_SECS = 60;
/** A child gets this long beyond its probe's limit to clean up and report before it is killed as hung. */
const GRACE_SECS = 15;
/** The heap of a probe's process: a probe that makes yangguang buffer a bomb dies here, seen as `crashed`. */
const CHILD_HEAP_MB = 1536;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Outcome = ProbeResult['verdict'] | 'hung';

interface ProbeEntry {
  file: string;
  probe: Probe;
}

interface Report {
  name: string;
  outcome: Outcome;
  detail: string;
  seconds: number;
  logs: string[];
}

async function loadProbes(probesDir: string): Promise<ProbeEntry[]> {
  const files = (await readdir(probesDir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')).sort();
  const entries: ProbeEntry[] = [];
  for (const name of files) {
    const file = path.join(probesDir, name);
    const module = (await import(pathToFileURL(file).href)) as { probes?: Probe[] };
    if (!Array.isArray(module.probes)) throw new Error(`${name} exports no \`probes\` array (see scripts/hostile/probe.ts)`);
    for (const probe of module.probes) entries.push({ file, probe });
  }
  const names = new Set<string>();
  for (const { probe, file } of entries) {
    if (names.has(probe.name)) throw new Error(`probe name ${probe.name} is used twice (again in ${path.basename(file)})`);
    names.add(probe.name);
  }
  return entries;
}

// ---- the child: runs one probe ----

async function runChild(file: string, name: string, setupFile: string, resultFile: string): Promise<void> {
  const setup = JSON.parse(await readFile(setupFile, 'utf8')) as ProbeSetup & { timeoutSecs: number };
  const module = (await import(pathToFileURL(file).href)) as { probes: Probe[] };
  const probe = module.probes.find((candidate) => candidate.name === name)!;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`probe ran past its ${setup.timeoutSecs} s`)), setup.timeoutSecs * 1000);
  const harness = createProbeHarness(setup, controller.signal);
  let result: ProbeResult;
  try {
    result = await probe.run(harness.context);
  } catch (error) {
    result = controller.signal.aborted
      ? { verdict: 'accepted', detail: `timed out: ${(error as Error).message}` }
      : { verdict: 'accepted', detail: `the probe itself failed: ${(error as Error).stack ?? String(error)}` };
  } finally {
    clearTimeout(timer);
  }
  await harness.close();
  const hits = harness.forbiddenHits();
  if (hits.length > 0) result = leaked(`the forbidden address got ${hits.join(', ')}`);
  await writeFile(resultFile, JSON.stringify({ result, timedOut: controller.signal.aborted, logs: harness.logs() }));
  // Workers, Redis connections and sockets a probe forgot must not keep the child alive.
  process.exit(0);
}

// ---- the parent: one child per probe, then the leak checks ----

async function runOne(entry: ProbeEntry, root: string, verbose: boolean): Promise<Report> {
  const started = Date.now();
  const { probe } = entry;
  const probeDir = path.join(root, probe.name);
  const { dataDir, outsideDir, secretPath } = probePaths(probeDir);
  await mkdir(dataDir, { recursive: true });
  await mkdir(outsideDir, { recursive: true });
  const canary = `YG-CANARY-${randomBytes(12).toString('hex')}`;
  await writeFile(secretPath, `root:x:0:0:${canary}:/root:/bin/sh\n${canary}\n`);
  const timeoutSecs = probe.timeoutSecs ?? DEFAULT_TIMEOUT_SECS;
  const queuePrefix = `yg-hostile-${process.pid}-${probe.name}`;
  const setupFile = path.join(probeDir, 'setup.json');
  const resultFile = path.join(probeDir, 'result.json');
  const setup: ProbeSetup & { timeoutSecs: number } = { probeDir, canary, redisUrl: REDIS_URL, queuePrefix, verbose, timeoutSecs };
  await writeFile(setupFile, JSON.stringify(setup));
  const exit = await spawnChild(entry, setupFile, resultFile, (timeoutSecs + GRACE_SECS) * 1000);
  const finish = (outcome: Outcome, detail: string, logs: string[] = []): Report => ({
    name: probe.name,
    outcome,
    detail,
    seconds: (Date.now() - started) / 1000,
    logs,
  });
  let report: Report;
  if (exit.killed) {
    report = finish('hung', `still running ${timeoutSecs + GRACE_SECS} s after it started; killed`);
  } else if (!existsSync(resultFile)) {
    report = finish('crashed', `its process ended (${exit.code}) without a result: ${exit.output.slice(-600)}`);
  } else {
    const { result, timedOut, logs } = JSON.parse(await readFile(resultFile, 'utf8')) as {
      result: ProbeResult;
      timedOut: boolean;
      logs: string[];
    };
    report = timedOut && result.verdict !== 'leaked' ? finish('hung', result.detail, logs) : finish(result.verdict, result.detail, logs);
  }
  const leak = await findLeaks(probeDir, dataDir, outsideDir, canary);
  if (leak) report = { ...report, outcome: 'leaked', detail: `${leak} (the probe said: ${report.outcome}: ${report.detail})` };
  await deleteKeys(`${queuePrefix}:*`);
  if (report.outcome === 'refused') await rm(probeDir, { recursive: true, force: true });
  return report;
}

/** A file written outside `data/` (the probe's folder holds only data/, outside/secret.txt and the runner's files), or the canary inside it. */
async function findLeaks(probeDir: string, dataDir: string, outsideDir: string, canary: string): Promise<string | null> {
  const expected = new Set(['data', 'outside', 'setup.json', 'result.json']);
  const stray = (await readdir(probeDir)).filter((name) => !expected.has(name));
  if (stray.length > 0) return `written outside the data directory: ${stray.join(', ')}`;
  const outside = (await readdir(outsideDir, { recursive: true })).filter((name) => name !== 'secret.txt');
  if (outside.length > 0) return `written outside the data directory: outside/${outside.join(', outside/')}`;
  const found = await findCanary(dataDir, canary);
  return found ? `the secret outside the data directory reached ${found}` : null;
}

function spawnChild(
  entry: ProbeEntry,
  setupFile: string,
  resultFile: string,
  killAfterMs: number,
): Promise<{ code: string; killed: boolean; output: string }> {
  const child = spawn(
    process.execPath,
    [
      `--max-old-space-size=${CHILD_HEAP_MB}`,
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--child',
      entry.file,
      entry.probe.name,
      setupFile,
      resultFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let killed = false;
  // The probe's group: a worker process it spawned goes with it.
  const timer = setTimeout(() => {
    killed = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, killAfterMs);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: String(code ?? signal), killed, output });
    });
  });
}

async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function runAll(filters: string[], verbose: boolean, jobs: number, probesDir: string): Promise<number> {
  const entries = (await loadProbes(probesDir)).filter(
    ({ probe }) => filters.length === 0 || filters.some((filter) => probe.name.includes(filter) || probe.boundary === filter),
  );
  if (entries.length === 0) throw new Error(`no probe matches ${filters.join(' ')}`);
  const root = await mkdtemp(path.join(tmpdir(), 'yangguang-hostile-'));
  const reports: Report[] = [];
  let next = 0;
  const lane = async () => {
    while (next < entries.length) {
      const entry = entries[next++]!;
      const report = await runOne(entry, root, verbose);
      reports.push(report);
      console.log(`hostile: ${report.outcome.padEnd(8)} ${report.name} (${report.seconds.toFixed(1)} s): ${report.detail.split('\n')[0]}`);
      if (report.outcome !== 'refused' && (verbose || report.logs.length > 0)) for (const line of report.logs) console.log(`    ${line}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, entries.length) }, lane));
  const count = (outcome: Outcome) => reports.filter((report) => report.outcome === outcome).length;
  const failedDirs = reports.some((report) => report.outcome !== 'refused');
  if (failedDirs) console.log(`hostile: the failed probes' directories are kept under ${root}`);
  else await rm(root, { recursive: true, force: true });
  console.log(
    `hostile: probes=${reports.length} refused=${count('refused')} crashed=${count('crashed')} leaked=${count('leaked')} hung=${count('hung')}${count('accepted') ? ` accepted=${count('accepted')}` : ''}`,
  );
  return reports.every((report) => report.outcome === 'refused') ? 0 : 1;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return runChild(argv[1]!, argv[2]!, argv[3]!, argv[4]!);
  const verbose = argv.includes('--verbose');
  const jobsAt = argv.indexOf('--jobs');
  // Probes mostly wait (on servers, queues, DuckDB): four at a time keep two cores busy.
  const jobs = jobsAt >= 0 ? Number(argv[jobsAt + 1]) : 4;
  const dirAt = argv.indexOf('--probes-dir');
  const probesDir = dirAt >= 0 ? path.resolve(argv[dirAt + 1]!) : PROBES_DIR;
  const valueAt = new Set([jobsAt + 1, dirAt + 1].filter((index) => index > 0));
  const filters = argv.filter((arg, index) => !arg.startsWith('--') && !valueAt.has(index));
  process.exitCode = await runAll(filters, verbose, jobs, probesDir);
}

await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`hostile: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 2;
});
