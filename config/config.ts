/**
 * The one typed configuration: defaults, then an optional config file, then environment variables.
 * Parsed once at start-up and passed down; stages never read process.env.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\//.test(value), 'must start with redis:// or rediss://');

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
  maxBodyBytes: z.coerce.number().int().positive().default(100 * 1024 * 1024),
  /** Timeout of one HTTP request, in seconds. */
  requestTimeoutSecs: z.coerce.number().positive().default(30),
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
  /** Identifies the crawler honestly to portal operators. */
  userAgent: z.string().min(1).default('yangguang/0.1 (+https://github.com/yangguang; government report research)'),
  /**
   * The national catalog (JSON lines of CatalogEntry). Default: the one shipped in sources/national/portals.jsonl;
   * another file serves a private list of portals, or the national simulator's (simulator/national/serve.ts).
   */
  catalogFile: z.string().min(1).optional(),
  /** Shared secret of the queue UI; required to listen on any non-loopback address. */
  uiToken: z.string().min(16, 'at least 16 characters').optional(),
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
  maxPagesPerSource: 'YANGGUANG_MAX_PAGES_PER_SOURCE',
  crawlConcurrency: 'YANGGUANG_CRAWL_CONCURRENCY',
  hostConcurrency: 'YANGGUANG_HOST_CONCURRENCY',
  hostDelayMs: 'YANGGUANG_HOST_DELAY_MS',
  maxRequestsInFlight: 'YANGGUANG_MAX_REQUESTS_IN_FLIGHT',
  crawlJobConcurrency: 'YANGGUANG_CRAWL_JOB_CONCURRENCY',
  fetchJobConcurrency: 'YANGGUANG_FETCH_JOB_CONCURRENCY',
  recheckDocumentsDays: 'YANGGUANG_RECHECK_DOCUMENTS_DAYS',
  userAgent: 'YANGGUANG_USER_AGENT',
  catalogFile: 'YANGGUANG_CATALOG_FILE',
  uiToken: 'YANGGUANG_UI_TOKEN',
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
