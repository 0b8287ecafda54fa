/**
 * `yangguang sources check [FILE…]` validates the national catalog and the sources files; `yangguang sources list`
 * shows the national catalog with what discovery last found on each portal.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Config } from '../config/config.ts';
import { DEFAULT_CATALOG_FILE, checkCatalog, filterCatalog, readCatalog, type CatalogFilter } from '../crawlers/catalog.ts';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { checkSourcesFile, formatSourceProblem, type SourceProblem } from '../crawlers/source-schema.ts';
import { readLatestDiscoveries } from '../load/discoveries.ts';
import { plainTable } from './plain-table.ts';

/** The sources files: sources/*.yaml|yml|json under `root` (the national catalog lives apart, in sources/national/). */
export function catalogFiles(root = 'sources'): string[] {
  try {
    return readdirSync(root)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort()
      .map((name) => path.join(root, name));
  } catch {
    return [];
  }
}

interface FileCheck {
  entries: number;
  problems: SourceProblem[];
}

/** A national-catalog file (.jsonl): its entries against the region table; a file that does not parse is one problem. */
function checkCatalogFile(file: string): FileCheck {
  let entries: CatalogEntry[];
  try {
    entries = readCatalog(file);
  } catch (error) {
    return { entries: 0, problems: [{ file, entry: '(file)', field: '', message: (error as Error).message.split('\n')[0]! }] };
  }
  return { entries: entries.length, problems: checkCatalog(entries, file) };
}

function checkFile(file: string): FileCheck {
  return file.endsWith('.jsonl') ? checkCatalogFile(file) : checkSourcesFile(file);
}

/**
 * Checks the files (default: the national catalog and every sources/*.yaml), prints one line per problem and, last,
 * `sources: entries=<n> errors=<n>`; returns the exit code (1 on any problem).
 */
export function checkSources(files: string[], print: (line: string) => void = console.log): number {
  const targets = files.length > 0 ? files : [DEFAULT_CATALOG_FILE, ...catalogFiles()];
  let entries = 0;
  let errors = 0;
  for (const file of targets) {
    const checked = checkFile(file);
    checked.problems.forEach((problem) => print(formatSourceProblem(problem)));
    entries += checked.entries;
    errors += checked.problems.length;
  }
  print(`sources: entries=${entries} errors=${errors}`);
  return errors === 0 ? 0 : 1;
}

/** commander's parser for --region: a GB/T 2260 code prefix of 2 to 6 digits (32, 3208, 320804). */
export function parseRegionPrefix(value: string): string {
  if (!/^\d{2,6}$/.test(value)) throw new InvalidArgumentError('a GB/T 2260 code prefix of 2 to 6 digits, e.g. 32 or 3208');
  return value;
}

export interface ListSourcesOptions extends CatalogFilter {
  format?: 'table' | 'json';
  /** The catalog to list; default the shipped one. */
  catalogFile?: string;
}

/** One catalog entry as listed: the entry, and the latest discovery's outcome when there is one. */
export interface ListedSource extends CatalogEntry {
  discovery: { status: PortalDiscovery['status']; columns: number; checkedAt: string } | null;
}

/** The catalog entries picked by the filter, each with its latest discovery from the warehouse. */
export async function listSources(
  config: Pick<Config, 'duckdbPath' | 'catalogFile'>,
  options: ListSourcesOptions,
): Promise<ListedSource[]> {
  const entries = filterCatalog(readCatalog(options.catalogFile ?? config.catalogFile), options);
  const discoveries = await readLatestDiscoveries(config);
  return entries.map((entry) => {
    const found = discoveries.get(entry.id);
    return { ...entry, discovery: found ? { status: found.status, columns: found.columns.length, checkedAt: found.checkedAt } : null };
  });
}

/** `yangguang sources list`: prints the entries as a table (or JSON), then how many have been discovered. */
export async function printSources(
  config: Pick<Config, 'duckdbPath'>,
  options: ListSourcesOptions,
  print: (line: string) => void = console.log,
): Promise<void> {
  const listed = await listSources(config, options);
  if (options.format === 'json') {
    print(JSON.stringify(listed, null, 2));
    return;
  }
  const table = plainTable(['code', 'name', 'level', 'parent', 'portal', 'discovery', 'columns']);
  for (const source of listed) {
    const discovery = source.discovery;
    table.push([
      source.regionCode ?? source.id,
      source.name,
      source.level,
      source.parentCode ?? '',
      source.portalUrl,
      discovery ? `${discovery.status} ${discovery.checkedAt.slice(0, 10)}` : '',
      discovery ? String(discovery.columns) : '',
    ]);
  }
  print(table.toString());
  const discovered = listed.filter((source) => source.discovery !== null).length;
  print(`${listed.length} catalog entries, ${discovered} discovered`);
}
