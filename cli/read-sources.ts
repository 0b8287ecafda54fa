/** Reads a sources file (JSON or YAML: a list of portals) and validates it. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Source } from '../crawlers/types.ts';

const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only'),
  name: z.string().min(1),
  regionCode: z.string().regex(/^\d{6}$/, 'a 6-digit GB/T 2260 code').optional(),
  level: z.enum(['province', 'prefecture', 'county', 'department', 'other']).optional(),
  startUrls: z.array(z.url({ protocol: /^https?$/ })).min(1),
  allowedHosts: z.array(z.string().min(1)).optional(),
});

const sourcesSchema = z.array(sourceSchema).min(1);

/** Parses the file; allowedHosts defaults to the start URLs' hosts. Throws an Error naming each bad field. */
export function readSources(file: string): Source[] {
  const text = readFileSync(file, 'utf8');
  const value: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  const result = sourcesSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw new Error(`invalid sources file ${file}:\n  ${lines.join('\n  ')}`);
  }
  return result.data.map((source) => ({
    ...source,
    allowedHosts: source.allowedHosts ?? [...new Set(source.startUrls.map((url) => new URL(url).host))],
  }));
}

/** A one-off source for `yangguang crawl --url`. */
export function sourceFromUrl(url: string, id?: string): Source {
  const parsed = new URL(url);
  return { id: id ?? parsed.hostname.replace(/[^a-z0-9]+/gi, '-').toLowerCase(), name: parsed.hostname, startUrls: [url], allowedHosts: [parsed.host] };
}
