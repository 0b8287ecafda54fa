/**
 * Where a crawl's sources come from: a sources file (JSON or YAML: a list of portals, validated with its schema),
 * a one-off URL, or the national catalog's entries whose 年报 columns discovery has found.
 */
import type { Config } from '../config/config.ts';
import { filterCatalog, readCatalog, sourceFromCatalog, type CatalogFilter } from '../crawlers/catalog.ts';
import type { CatalogEntry } from '../crawlers/catalog-types.ts';
import { checkSourcesFile, formatSourceProblem } from '../crawlers/source-schema.ts';
import type { Source } from '../crawlers/types.ts';
import { readLatestDiscoveries } from '../load/discoveries.ts';

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

/** The crawlable part of the national catalog: sources for the entries with discovered columns, and the rest. */
export interface CatalogSelection {
  sources: Source[];
  /** Entries picked by the filter that discovery has found no column for (or has not checked): not crawled. */
  undiscovered: CatalogEntry[];
}

/** Sources for the catalog entries picked by `filter` (all of them for `{}`), from their latest discoveries. */
export async function catalogSources(config: Pick<Config, 'duckdbPath'>, filter: CatalogFilter, catalogFile?: string): Promise<CatalogSelection> {
  const entries = filterCatalog(readCatalog(catalogFile), filter);
  const discoveries = await readLatestDiscoveries(config);
  const selection: CatalogSelection = { sources: [], undiscovered: [] };
  for (const entry of entries) {
    const source = sourceFromCatalog(entry, discoveries.get(entry.id));
    if (source) selection.sources.push(source);
    else selection.undiscovered.push(entry);
  }
  return selection;
}
