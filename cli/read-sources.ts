/**
 * Where a crawl's sources come from: a sources file (JSON or YAML: a list of portals, validated with its schema),
 * a one-off URL, or the national catalog's entries whose 年报 columns discovery has found.
 */
import { checkSourceEntries, checkSourcesFile, formatSourceProblem } from '../crawlers/source-schema.ts';
import type { Source } from '../crawlers/types.ts';
import { UsageError } from './errors.ts';

/** Parses the file; allowedHosts defaults to the start URLs' hosts. Throws an Error naming each bad field. */
export function readSources(file: string): Source[] {
  const { sources, problems } = checkSourcesFile(file);
  if (problems.length > 0) throw new UsageError(`invalid sources file ${file}:\n  ${problems.map(formatSourceProblem).join('\n  ')}`);
  return sources;
}

/**
 * A one-off source for `yangguang crawl --url`, checked by the sources schema like a sources file's entry: http(s)
 * only, no credentials (a UsageError names the problem).
 */
export function sourceFromUrl(url: string, id?: string): Source {
  if (!URL.canParse(url)) throw new UsageError(`not a URL: ${url} (give the full address, e.g. https://www.example.gov.cn/zfxxgknb/)`);
  const parsed = new URL(url);
  const candidate = {
    id:
      id ??
      (parsed.hostname
        .replace(/[^a-z0-9]+/gi, '-')
        .toLowerCase()
        .replace(/^-+/, '') ||
        'url'),
    name: parsed.hostname || url,
    startUrls: [url],
  };
  const { sources, problems } = checkSourceEntries('--url', [candidate]);
  if (problems.length > 0) throw new UsageError(`refusing to crawl ${url}: ${problems.map((problem) => problem.message).join('; ')}`);
  return sources[0]!;
}
