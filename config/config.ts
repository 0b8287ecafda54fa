/**
 * The one typed configuration: defaults, then an optional config file, then environment variables.
 * Parsed once at start-up and passed down; stages never read process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { uiTokenWeakness } from './ui-token.ts';

const redisUrl = z.string().refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://');

/** True when this Node knows `zone` as a time zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z.strictObject({
  /** Redis for the queues. */
  redisUrl: redisUrl.default('redis://127.0.0.1:6379'),
  /** Where runtime output goes: raw archive, extracted and parsed documents, DuckDB. */
  dataDir: z.string().min(1).default('data'),
  /** DuckDB file; relative paths are taken from the working directory. Default: <dataDir>/yangguang.duckdb. */
  duckdbPath: z.string().min(1).optional(),
  /** BullMQ key prefix, so that several deployments (or test runs) can share one Redis. */
  queuePrefix: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only')
    .default('yangguang'),
  /** Largest body a fetch accepts, in bytes (100 MB). */
  maxBodyBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(100 * 1024 * 1024),
  /** Timeout of one HTTP request, in seconds. */
  requestTimeoutSecs: z.coerce.number().positive().default(30),
  /** Longest a connection may stay silent (no headers, no body bytes) before the request fails, in seconds. */
  idleTimeoutSecs: z.coerce.number().positive().default(15),
  /**
   * Largest page a crawl or discovery reads (list, detail, robots.txt, browser answers), in bytes, counted after
   * decompression while it streams in: a larger list or detail page fails as PAGE_TOO_LARGE (4 MB: a page is parsed
   * on the worker's event loop, and 4 MB take 1–3 s on a busy 2-core machine, inside the job's lock renewal).
   */
  maxPageBytes: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 * 1024),
  /** Longest one crawl of one source may run, in seconds: then it stops, keeping what it found (SOURCE_BUDGET_EXCEEDED). */
  sourceBudgetSecs: z.coerce.number().positive().default(3600),
  /**
   * Lets requests reach loopback, private (RFC 1918), link-local, CGNAT, multicast and IPv6 ULA addresses. Off in
   * production: a portal, a redirect or a DNS answer pointing inside the network is refused (ADDRESS_REFUSED). The
   * demo, the tests and the benches, whose portals run on 127.0.0.1, set it.
   */
  allowPrivateNetworks: z
    .union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1')])
    .default(false),
  /** Single addresses reachable even when allowPrivateNetworks is off (an intranet mirror); env: comma-separated. */
  allowedPrivateAddresses: z
    .union([
      z.array(z.ipv4().or(z.ipv6())),
      z.string().transform((value) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean),
      ),
    ])
    .pipe(z.array(z.ipv4().or(z.ipv6())))
    .default([]),
  /** Most pages one crawl of one source may request. */
  maxPagesPerSource: z.coerce.number().int().positive().default(500),
  /** Parallel requests per crawl (each still waits for its host's turn, see hostConcurrency and hostDelayMs). */
  crawlConcurrency: z.coerce.number().int().positive().default(4),
  /** Requests in flight at once against one host, across every crawl and fetch of a worker process (a source's politeness.concurrencyPerHost overrides). */
  hostConcurrency: z.coerce.number().int().positive().max(16).default(2),
  /**
   * Least time between two request starts on one host, in milliseconds, across every crawl and fetch of a worker
   * process (a source's politeness.delayMs overrides). 0 suits loopback tests; 1000–3000 suits a national run.
   */
  hostDelayMs: z.coerce.number().int().nonnegative().max(60_000).default(0),
  /** Most HTTP requests in flight at once in one worker process, all hosts together. */
  maxRequestsInFlight: z.coerce.number().int().positive().default(64),
  /**
   * Crawl jobs in flight per worker process. High, so that a night's portals are all in flight at once: a crawl mostly
   * waits for its hosts' turns (a few KB while it waits), and the host scheduler, not this, bounds the requests.
   */
  crawlJobConcurrency: z.coerce.number().int().positive().default(1000),
  /**
   * Fetch jobs in flight per worker process. A crawl releases its fetch jobs to the queue one host delay apart, so
   * fewer are needed than crawls; high for the same reason.
   */
  fetchJobConcurrency: z.coerce.number().int().positive().default(300),
  /**
   * Days between conditional re-checks of a loaded document that the crawl reached only through list pages that
   * answered 304 (0: every run re-checks every document). Catches a report replaced in place under an unchanged list.
   */
  recheckDocumentsDays: z.coerce.number().min(0).default(7),
  /** Most documents the single writer loads in one write window (one open, one transaction). */
  loadBatchSize: z.coerce.number().int().positive().max(10_000).default(200),
  /** How long the single writer gathers a batch after its first job arrives, in milliseconds. */
  loadBatchWaitMs: z.coerce.number().int().nonnegative().max(60_000).default(500),
  /** Longest a reader's statement may run (`yangguang sql`, export, the UI), in seconds: then it is interrupted. */
  readerTimeoutSecs: z.coerce.number().positive().default(60),
  /** Memory a reader's DuckDB instance may use, in MB (DuckDB's memory_limit). */
  readerMemoryLimitMb: z.coerce.number().int().positive().default(2048),
  /** Identifies the crawler honestly to portal operators. */
  userAgent: z.string().min(1).default('yangguang/0.1 (+https://github.com/yangguang; government report research)'),
  /**
   * The national catalog (JSON lines of CatalogEntry). Default: the one shipped in sources/national/portals.jsonl;
   * another file serves a private list of portals, or the national simulator's (simulator/national/serve.ts).
   */
  catalogFile: z.string().min(1).optional(),
  /** IANA time zone of schedules (`schedule set` without --tz) and of times shown to people. */
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai, UTC)').default('Asia/Shanghai'),
  /**
   * Shared secret of the queue UI; required to listen on any non-loopback address. At least 24 characters and about
   * 96 bits of entropy, no whitespace (`yangguang ui --new-token` prints one).
   */
  uiToken: z
    .string()
    .superRefine((token, context) => {
      const weakness = uiTokenWeakness(token);
      if (weakness) context.addIssue({ code: 'custom', message: weakness });
    })
    .optional(),
  /**
   * The host name (with :port where not default) people use to reach the queue UI when it listens beyond loopback,
   * e.g. `yangguang.example.org`. Requests naming any other Host than this or a loopback name are refused (DNS rebinding).
   */
  uiPublicHost: z
    .string()
    .regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i, 'a host name, with :port where not default')
    .optional(),
});

export type Config = Omit<z.infer<typeof configSchema>, 'duckdbPath'> & { duckdbPath: string };

/** Environment variable for each key. */
export const configEnv: Record<keyof z.infer<typeof configSchema>, string> = {
  redisUrl: 'REDIS_URL',
  dataDir: 'YANGGUANG_DATA_DIR',
  duckdbPath: 'YANGGUANG_DUCKDB_PATH',
  queuePrefix: 'YANGGUANG_QUEUE_PREFIX',
  maxBodyBytes: 'YANGGUANG_MAX_BODY_BYTES',
  requestTimeoutSecs: 'YANGGUANG_REQUEST_TIMEOUT_SECS',
  idleTimeoutSecs: 'YANGGUANG_IDLE_TIMEOUT_SECS',
  maxPageBytes: 'YANGGUANG_MAX_PAGE_BYTES',
  sourceBudgetSecs: 'YANGGUANG_SOURCE_BUDGET_SECS',
  allowPrivateNetworks: 'YANGGUANG_ALLOW_PRIVATE_NETWORKS',
  allowedPrivateAddresses: 'YANGGUANG_ALLOWED_PRIVATE_ADDRESSES',
  maxPagesPerSource: 'YANGGUANG_MAX_PAGES_PER_SOURCE',
  crawlConcurrency: 'YANGGUANG_CRAWL_CONCURRENCY',
  hostConcurrency: 'YANGGUANG_HOST_CONCURRENCY',
  hostDelayMs: 'YANGGUANG_HOST_DELAY_MS',
  maxRequestsInFlight: 'YANGGUANG_MAX_REQUESTS_IN_FLIGHT',
  crawlJobConcurrency: 'YANGGUANG_CRAWL_JOB_CONCURRENCY',
  fetchJobConcurrency: 'YANGGUANG_FETCH_JOB_CONCURRENCY',
  recheckDocumentsDays: 'YANGGUANG_RECHECK_DOCUMENTS_DAYS',
  loadBatchSize: 'YANGGUANG_LOAD_BATCH_SIZE',
  loadBatchWaitMs: 'YANGGUANG_LOAD_BATCH_WAIT_MS',
  readerTimeoutSecs: 'YANGGUANG_READER_TIMEOUT_SECS',
  readerMemoryLimitMb: 'YANGGUANG_READER_MEMORY_LIMIT_MB',
  userAgent: 'YANGGUANG_USER_AGENT',
  catalogFile: 'YANGGUANG_CATALOG_FILE',
  uiToken: 'YANGGUANG_UI_TOKEN',
  uiPublicHost: 'YANGGUANG_UI_PUBLIC_HOST',
  timezone: 'YANGGUANG_TIMEZONE',
};

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Config file (JSON or YAML). Default: $YANGGUANG_CONFIG, else ./yangguang.config.{yaml,yml,json} if present. */
  file?: string;
  /** Values that win over everything (CLI flags, tests). */
  overrides?: Partial<z.input<typeof configSchema>>;
}

/** Reads and validates the configuration; a bad value throws a ConfigError naming the key and its source. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.YANGGUANG_CONFIG ?? findDefaultConfigFile();
  const fromFile = file ? readConfigFile(file) : {};
  const fromEnv: Record<string, string> = {};
  for (const [key, name] of Object.entries(configEnv)) {
    const value = env[name];
    if (value !== undefined && value !== '') fromEnv[key] = value;
  }
  const merged = { ...fromFile, ...fromEnv, ...options.overrides };
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const origin = key in fromEnv ? `env ${configEnv[key as keyof typeof configEnv]}` : key in fromFile ? `file ${file}` : 'value';
      return key ? `${key} (${origin}): ${issue.message}` : issue.message;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const parsed = result.data;
  return { ...parsed, duckdbPath: parsed.duckdbPath ?? path.join(parsed.dataDir, 'yangguang.duckdb') };
}

function findDefaultConfigFile(): string | undefined {
  return ['yangguang.config.yaml', 'yangguang.config.yml', 'yangguang.config.json'].find((name) => existsSync(name));
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  const value: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`config file ${file} must hold an object of settings`);
  }
  return value as Record<string, unknown>;
}
