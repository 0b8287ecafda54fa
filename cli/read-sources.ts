/**
 * Where a crawl's sources come from: a sources file (JSON or YAML: a list of portals, validated with its schema),
 * a one-off URL, or the national catalog's entries whose 年报 columns discovery has found.
 */
import { checkSourcesFile, formatSourceProblem } from '../crawlers/source-schema.ts';
import type { Source } from '../crawlers/types.ts';

/** Parses the file; allowedHosts defaults to the start URLs' hosts. Throws an Error naming each bad field. */
export function readSources(file: string): Source[] {
  const { sources, problems } = checkSourcesFile(file);
  if (problems.length > 0) throw new Error(`invalid sources file ${file}:\n  ${problems.map(formatSourceProblem).join('\n  ')}`);
  return sources;
}

/** A one-off source for `yangguang crawl --url`. */
export function sourceFromUrl(url: string, id?: string): Source {
  const parsed = new URL(url);
  return { id: id ?? parsed.hostname.replace(/[^a-z0-9]+/gi, '-').toLowerCase(), name: parsed.hostname, startUrls: [url], allowedHosts: [parsed.host] };
}

