/** Queue names, what each queue's jobs carry (references and small metadata, never document bodies), and their schemas. */
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/config.ts';
import { dataLayout, rawPath, type DataLayout } from '../config/data-layout.ts';
import { DEFAULT_CATALOG_FILE } from '../crawlers/catalog.ts';
import { sourceSchema } from '../crawlers/source-schema.ts';
import { SCHEDULED_RUN_JOB } from './schedules.ts';
import type { DiscoveredDocument, DocumentKindHint, PreviousFetch, Source } from '../crawlers/types.ts';
import type { FetchedDocument } from '../shared/document.ts';
import type { FailureRecord } from '../load/record-run.ts';
import type { CrawlRecord } from '../load/crawl-states.ts';
import type { DocumentFilter } from '../ledger/document-filter.ts';

/** One queue per stage, in pipeline order. */
export const STAGES = ['crawl', 'fetch', 'extract', 'parse', 'load'] as const;
export type Stage = (typeof STAGES)[number];

export interface CrawlJobData {
  runId: string;
  source: Source;
  /** Backfill: only discovered documents passing this filter go on to fetch. */
  filter?: DocumentFilter;
  /** Send every discovered document to fetch, also those the crawl found unchanged and checked recently. */
  recheck?: boolean;
}

export interface FetchJobData {
  runId: string;
  document: DiscoveredDocument;
  /** The URL's latest loaded fetch, looked up by the crawl job: its validators make the request conditional. */
  previous?: PreviousFetch & { isReport: boolean };
  /** The source's TLS policy (Source.tls), when it is not the default strict one. */
  tls?: Source['tls'];
  /** The source's politeness (Source.politeness), when it names one: the fetch asks the host as gently as the crawl. */
  politeness?: Source['politeness'];
}

export interface ExtractJobData {
  runId: string;
  fetched: FetchedDocument;
}

export interface ParseJobData {
  runId: string;
  fetched: FetchedDocument;
  /** data/extracted/<sha256>.<version>.json */
  extractedPath: string;
}

export interface LoadDocumentJobData {
  runId: string;
  fetched: FetchedDocument;
  extractedPath: string;
  /** data/parsed/<sha256>.<version>.json */
  parsedPath: string;
}

/** A job that failed for good, to be recorded in DuckDB by the single writer. */
export interface RecordFailureJobData extends FailureRecord {
  stage: Stage;
}

/**
 * A source's crawl in a run, for the single writer: what the next crawl starts from (page validators and links,
 * document checks), the crawl's counts, and the documents it found gone or back (load/crawl-states.ts).
 */
export type RecordCrawlJobData = CrawlRecord;

/** Job names on the load queue: the loader is DuckDB's single writer, so every write goes through it. */
export const LOAD_JOB = { document: 'load-document', failure: 'record-failure', crawl: 'record-crawl' } as const;

/** The load-queue job that writes a run's summary once all its jobs have settled. */
export const RECORD_RUN_JOB = 'record-run';

// ---- Validation: a job's data arrives through Redis, so every processor checks it before touching anything. ----

/** A job whose data is not what its queue takes: permanent (the same data fails the same way), never retried. */
export class InvalidJobError extends Error {
  readonly code = 'INVALID_JOB';
  readonly retryable = false;
}

const MAX_TEXT = 4096;
const text = z.string().max(MAX_TEXT);
/** Run ids: `<UTC time>-<random>`, `reprocess-<stage>-…`, `<schedule id>-<fired at>`. */
const runIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'letters, digits, _ . - only (at most 128)');
const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');
const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,127}$/, 'lower-case letters, digits, _ and - only');

/** http(s) only, and no user:password (credentials would end up in logs, the warehouse and the UI). */
const webUrl = z
  .string()
  .max(MAX_TEXT)
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
  .refine(
    (value) => !URL.canParse(value) || (new URL(value).username === '' && new URL(value).password === ''),
    'must not carry credentials (user:password@)',
  );

const issuerSchema = z.object({
  name: text,
  regionCode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  level: z.enum(['province', 'prefecture', 'county', 'department', 'other']).optional(),
});

/** A source in a crawl job: the sources file's schema, with the URL rules above and allowedHosts filled in. */
const jobSourceSchema = sourceSchema.extend({
  startUrls: z.array(webUrl).min(1),
  allowedHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'a host name, with :port where not default')).min(1),
});

const KIND_HINTS = ['html', 'pdf', 'doc', 'docx', 'wps', 'xls', 'image', 'other'] as const satisfies readonly DocumentKindHint[];
// A kind the crawler learns must be added above, or its fetch jobs would fail as INVALID_JOB.
const everyKindHint: Exclude<DocumentKindHint, (typeof KIND_HINTS)[number]> extends never ? true : never = true;
void everyKindHint;
const kindHintSchema = z.enum(KIND_HINTS);

const documentFilterSchema = z.strictObject({
  years: z.strictObject({ from: z.number().int().min(1990).max(2200), to: z.number().int().min(1990).max(2200) }).optional(),
  kinds: z.array(kindHintSchema).optional(),
});

const crawlJobSchema = z.object({
  runId: runIdSchema,
  source: jobSourceSchema,
  filter: documentFilterSchema.optional(),
  recheck: z.boolean().optional(),
});

const discoveredSchema = z.object({
  sourceId: sourceIdSchema,
  url: webUrl,
  title: text,
  kindHint: kindHintSchema,
  foundOn: webUrl,
  publishedAt: text.nullable(),
  partUrls: z.array(webUrl).max(100).optional(),
  issuer: issuerSchema.optional(),
});

const fetchJobSchema = z.object({
  runId: runIdSchema,
  document: discoveredSchema,
  previous: z.object({ etag: text.nullable(), lastModified: text.nullable(), sha256: sha256Schema, isReport: z.boolean() }).optional(),
  tls: jobSourceSchema.shape.tls,
  politeness: jobSourceSchema.shape.politeness,
});

/** A path the job names, as the data directory's layout would have written it (compared resolved). */
const samePath = (actual: string, expected: string) => path.resolve(actual) === path.resolve(expected);

/** Is `file` inside `dir` (both resolved; `..` cannot climb out)? */
function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** A fetched document whose archive paths are the content-addressed ones under data/raw for its hashes. */
function fetchedSchema(layout: DataLayout) {
  const part = z.object({
    url: webUrl,
    sha256: sha256Schema,
    byteLength: z.number().int().nonnegative(),
    archivePath: text,
    contentType: text.nullable(),
  });
  return z
    .object({
      sourceId: sourceIdSchema,
      url: webUrl,
      finalUrl: webUrl,
      title: text,
      publishedAt: text.nullable(),
      fetchedAt: text,
      status: z.number().int(),
      contentType: text.nullable(),
      sha256: sha256Schema,
      byteLength: z.number().int().nonnegative(),
      archivePath: text,
      etag: text.nullable(),
      lastModified: text.nullable(),
      notModified: z.boolean().optional(),
      issuer: issuerSchema.optional(),
      parts: z.array(part).min(1).max(100).optional(),
    })
    .superRefine((fetched, context) => {
      const archived = fetched.parts ?? [fetched];
      archived.forEach((file, index) => {
        const sound = /^[0-9a-f]{64}$/.test(file.sha256);
        if (sound && samePath(file.archivePath, rawPath(layout, file.sha256))) return;
        const expected = sound ? rawPath(layout, file.sha256) : rawPath(layout, '<sha256>');
        context.addIssue({
          code: 'custom',
          path: fetched.parts ? ['parts', index, 'archivePath'] : ['archivePath'],
          message: `must be ${expected}, the archive's path of its sha256`,
        });
      });
      if (fetched.parts && !samePath(fetched.archivePath, fetched.parts[0]!.archivePath)) {
        context.addIssue({ code: 'custom', path: ['archivePath'], message: "must be the first part's archivePath" });
      }
    });
}

/** data/<dir>/<sha256>.<version>.json of the job's own document, inside the data directory. */
function stageFile(dir: string, what: string) {
  return text.refine(
    (file) => isInside(file, dir) && path.dirname(path.resolve(file)) === path.resolve(dir),
    `must be a file directly in ${dir} (the ${what} documents)`,
  );
}

function matchesHash(file: string, sha256: string): boolean {
  return new RegExp(`^${sha256}\\.[A-Za-z0-9_.-]{1,32}\\.json$`).test(path.basename(file));
}

function laterStageSchemas(layout: DataLayout) {
  const fetched = fetchedSchema(layout);
  const extracted = stageFile(layout.extractedDir, 'extracted');
  const parsed = stageFile(layout.parsedDir, 'parsed');
  const named =
    <T extends { fetched: { sha256: string } }>(keys: ('extractedPath' | 'parsedPath')[]) =>
    (job: T, context: z.RefinementCtx) => {
      for (const key of keys) {
        const file = (job as unknown as Record<string, string>)[key]!;
        if (!matchesHash(file, job.fetched.sha256))
          context.addIssue({
            code: 'custom',
            path: [key],
            message: "must be named <fetched.sha256>.<version>.json, the job's own document",
          });
      }
    };
  return {
    extract: z.object({ runId: runIdSchema, fetched }),
    parse: z.object({ runId: runIdSchema, fetched, extractedPath: extracted }).superRefine(named(['extractedPath'])),
    load: z
      .object({ runId: runIdSchema, fetched, extractedPath: extracted, parsedPath: parsed })
      .superRefine(named(['extractedPath', 'parsedPath'])),
  };
}

const failureJobSchema = z.object({
  runId: runIdSchema,
  stage: z.enum(STAGES),
  url: z.string().max(MAX_TEXT),
  sha256: sha256Schema.nullable(),
  sourceId: sourceIdSchema.nullable(),
  code: z.string().regex(/^[A-Z0-9_]{1,64}$/, 'an error code (A-Z, 0-9, _)'),
  reason: z.string().max(20_000),
});

/** A crawl's record: its pages are the crawler's own JSON (checked for shape only: the crawl reads them back itself). */
const countSchema = z.number().int().nonnegative();
const crawlRecordSchema = z.object({
  runId: runIdSchema,
  source: z.object({
    sourceId: sourceIdSchema,
    name: text,
    regionCode: z
      .string()
      .regex(/^\d{6}$/)
      .nullable(),
    level: issuerSchema.shape.level.unwrap().nullable(),
  }),
  state: z.object({
    version: z.number().int(),
    sourceId: sourceIdSchema,
    crawledAt: z.iso.datetime(),
    pages: z.record(z.string(), z.object({}).loose()),
  }),
  checks: z.record(z.string(), z.iso.datetime()),
  disappeared: z.array(webUrl),
  reappeared: z.array(webUrl),
  counts: z.object({
    pagesFetched: countSchema,
    pagesNotModified: countSchema,
    pagesSkipped: countSchema,
    discovered: countSchema,
    disappeared: countSchema,
    errors: countSchema,
    blocked: countSchema,
  }),
});

/** Control jobs: a run's summary, a scheduler's firing (its sources are checked again as crawl jobs). */
const recordRunSchema = z.object({ runId: runIdSchema, recording: z.number().int().positive().optional() });
const catalogFilterSchema = z.strictObject({
  region: z
    .string()
    .regex(/^\d{2,6}$/)
    .optional(),
  level: z.enum(['province', 'prefecture', 'county']).optional(),
});

function scheduledRunSchema(config: Pick<Config, 'catalogFile'>) {
  // A firing reads the catalog file it names: only the one this worker is configured with, never a path from Redis.
  const allowed = [config.catalogFile ?? DEFAULT_CATALOG_FILE, DEFAULT_CATALOG_FILE];
  const catalogFile = text.refine(
    (file) => allowed.some((known) => samePath(file, known)),
    'must be the national catalog or the catalogFile this worker is configured with',
  );
  const scheduleId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
  return z.union([
    z.object({
      scheduleId,
      kind: z.literal('sources').optional(),
      sources: z.array(jobSourceSchema),
      filter: documentFilterSchema.optional(),
    }),
    z.object({ scheduleId, kind: z.enum(['catalog', 'discover']), catalog: catalogFilterSchema, catalogFile: catalogFile.optional() }),
  ]);
}

/** The job names each queue takes, with their schemas for a worker's configuration. */
function schemasOf(config: Pick<Config, 'dataDir' | 'catalogFile'>): Record<Stage, Record<string, z.ZodType>> {
  const later = laterStageSchemas(dataLayout(config.dataDir));
  return {
    crawl: { crawl: crawlJobSchema, [SCHEDULED_RUN_JOB]: scheduledRunSchema(config) },
    fetch: { fetch: fetchJobSchema },
    extract: { extract: later.extract },
    parse: { parse: later.parse },
    load: {
      [LOAD_JOB.document]: later.load,
      [LOAD_JOB.failure]: failureJobSchema,
      [LOAD_JOB.crawl]: crawlRecordSchema,
      [RECORD_RUN_JOB]: recordRunSchema,
    },
  };
}

const schemaCache = new Map<string, Record<Stage, Record<string, z.ZodType>>>();

/**
 * Throws InvalidJobError unless `data` is what a `name` job on `stage`'s queue carries: known fields of the right
 * types, sha256 as 64 hex digits, URLs http(s) without credentials, archive paths the content-addressed ones under
 * data/raw, extracted and parsed files the job's own under data/extracted and data/parsed. Run before any file is touched.
 */
export function validateJobData(config: Pick<Config, 'dataDir' | 'catalogFile'>, stage: Stage, name: string, data: unknown): void {
  const key = `${config.dataDir}\n${config.catalogFile ?? ''}`;
  let schemas = schemaCache.get(key);
  if (!schemas) schemaCache.set(key, (schemas = schemasOf(config)));
  const schema = Object.hasOwn(schemas[stage], name) ? schemas[stage][name] : undefined;
  if (!schema)
    throw new InvalidJobError(`the ${stage} queue takes no job named "${clip(name)}" (it takes ${Object.keys(schemas[stage]).join(', ')})`);
  const result = schema.safeParse(data);
  if (result.success) return;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}${describeValue(data, issue.path)}`);
  throw new InvalidJobError(`${stage} job "${clip(name)}": ${problems.join('; ')}`);
}

/** ` (got "…")` for the offending value when it is a short string, so the reason shows what was refused. */
function describeValue(data: unknown, at: PropertyKey[]): string {
  let value: unknown = data;
  for (const key of at) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return typeof value === 'string' ? ` (got "${clip(value)}")` : '';
}

function clip(value: string): string {
  return value.length > 120 ? `${value.slice(0, 120)}…` : value;
}
