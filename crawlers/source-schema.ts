/**
 * The sources catalog's schema (sources/*.yaml, `crawl --sources FILE`): one zod schema, used by the CLI to read
 * and check sources files. allowedHosts defaults to the start URLs' hosts.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Source } from './types.ts';

const hostPattern = /^[a-z0-9.-]+(:\d{1,5})?$/i;

/** A hint that is no longer read: present, it fails with the reason and the advice to remove it. */
function removedHint(reason: string) {
  return z.never({ error: `no longer read (${reason}): remove it` }).optional();
}

/**
 * A start URL: http or https only (file:, javascript:… are refused), and without credentials — a portal never needs
 * them, and a URL carrying them leaks them into logs and records.
 */
const startUrl = z
  .url({ protocol: /^https?$/, error: 'not an http(s) URL: only http and https URLs are crawled' })
  .refine((url) => !new URL(url).username && !new URL(url).password, 'URLs with credentials (user:password@) are not crawled');

/** One portal entry. Unknown keys are errors, so a misspelt option never passes silently. */
export const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only'),
  name: z.string().min(1),
  regionCode: z
    .string()
    .regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code')
    .optional(),
  level: z.enum(['province', 'prefecture', 'county', 'department', 'other']).optional(),
  startUrls: z.array(startUrl).min(1),
  allowedHosts: z.array(z.string().regex(hostPattern, 'a host name, with :port where not default')).min(1).optional(),
  crawler: z.enum(['cheerio', 'playwright', 'auto']).optional(),
  hints: z
    .strictObject({
      maxDepth: z.number().int().positive().max(20).optional(),
      // Once accepted and never read: named here so that a file still using them says why it fails.
      listSelector: removedHint('report links are found by the platform readers (crawlers/platforms/), not by a selector'),
      pagination: removedHint("each platform's paging (TRS, Hanweb, VSB, gkmlpt JSON, ?page=) is recognised from its pages"),
      maxListPages: removedHint('the crawl stops at maxPagesPerSource pages and hints.maxDepth list levels'),
    })
    .optional(),
  politeness: z
    .strictObject({
      concurrencyPerHost: z.number().int().positive().max(16).optional(),
      delayMs: z.number().int().nonnegative().max(60_000).optional(),
      robots: z.enum(['obey', 'ignore']).optional(),
    })
    .optional(),
  tls: z.enum(['strict', 'ignore']).optional(),
});

/** One thing wrong with a sources file. */
export interface SourceProblem {
  file: string;
  /** The entry's id when known, else its index (#3), or '(file)'. */
  entry: string;
  /** Dotted path of the field inside the entry, or '' for the entry itself. */
  field: string;
  message: string;
}

function parseFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
}

function entryName(value: unknown[], index: number): string {
  const id = (value[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : `#${index}`;
}

type ParsedSource = z.infer<typeof sourceSchema>;

/** Checks across entries: distinct ids, every start URL on an allowed host. */
function crossCheck(file: string, sources: ParsedSource[]): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  for (const source of sources) {
    if (seen.has(source.id)) problems.push({ file, entry: source.id, field: 'id', message: `duplicate id ${source.id}` });
    seen.add(source.id);
    source.startUrls.forEach((url, index) => {
      const host = new URL(url).host;
      if (source.allowedHosts && !source.allowedHosts.includes(host)) {
        problems.push({ file, entry: source.id, field: `startUrls.${index}`, message: `host ${host} is not in allowedHosts` });
      }
    });
  }
  return problems;
}

/**
 * Parses and validates a sources file (a non-empty list of portals); returns the sources or the problems found,
 * and how many entries the file lists (valid or not).
 */
export function checkSourcesFile(file: string): { sources: Source[]; problems: SourceProblem[]; entries: number } {
  let value: unknown;
  try {
    value = parseFile(file);
  } catch (error) {
    return { sources: [], problems: [{ file, entry: '(file)', field: '', message: (error as Error).message.split('\n')[0]! }], entries: 0 };
  }
  if (!Array.isArray(value) || value.length === 0) {
    return { sources: [], problems: [{ file, entry: '(file)', field: '', message: 'expected a non-empty list of sources' }], entries: 0 };
  }
  return { ...checkSourceEntries(file, value), entries: value.length };
}

/**
 * Validates sources given as values (a file's entries, or `crawl --url`'s one-off sources, `file` naming where they
 * came from): the sources, or the problems found.
 */
export function checkSourceEntries(file: string, value: unknown[]): { sources: Source[]; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const parsed: ParsedSource[] = [];
  value.forEach((entry: unknown, index) => {
    const result = sourceSchema.safeParse(entry);
    if (result.success) parsed.push(result.data);
    else
      for (const issue of result.error.issues)
        problems.push({ file, entry: entryName(value, index), field: issue.path.join('.'), message: issue.message });
  });
  problems.push(...crossCheck(file, parsed));
  if (problems.length > 0) return { sources: [], problems };
  const sources = parsed.map((source) => ({
    ...source,
    allowedHosts: source.allowedHosts ?? [...new Set(source.startUrls.map((url) => new URL(url).host))],
  }));
  return { sources, problems: [] };
}

/** Formats a problem as `file: entry: field: message`. */
export function formatSourceProblem(problem: SourceProblem): string {
  return `${problem.file}: ${problem.entry}${problem.field ? `: ${problem.field}` : ''}: ${problem.message}`;
}
