/**
 * The national catalog (sources/national/portals.jsonl): reading it, picking entries by region and level, checking
 * it against the region table, and turning an entry plus what discovery found on its portal into a crawl Source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { getRegion, type Region } from '../shared/regions.ts';
import type { CatalogEntry, GovernmentLevel, PortalDiscovery } from './catalog-types.ts';
import type { SourceProblem } from './source-schema.ts';
import type { Source } from './types.ts';

/** The catalog shipped with the code, wherever the process runs from. */
export const DEFAULT_CATALOG_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), '../sources/national/portals.jsonl');

/** The bodies without a GB/T 2260 code, and the names of their governments. */
const CODELESS_GOVERNMENTS: Record<string, string> = {
  'gov-cq-liangjiang': '重庆两江新区管理委员会',
  'gov-xjbt': '新疆生产建设兵团',
};

const levels = ['province', 'prefecture', 'county'] as const satisfies readonly GovernmentLevel[];

const entrySchema = z.strictObject({
  id: z.string().min(1),
  regionCode: z.string().nullable(),
  name: z.string().min(1),
  level: z.enum(levels),
  parentCode: z.string().nullable(),
  path: z.string().min(1),
  portalUrl: z.string().min(1),
});

/** Reads the catalog, one JSON entry a line. Throws naming the line of the first malformed entry. */
export function readCatalog(file: string = DEFAULT_CATALOG_FILE): CatalogEntry[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const entries: CatalogEntry[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const result = entrySchema.safeParse(parseJsonLine(line));
    if (!result.success)
      throw new Error(
        `${file}:${index + 1}: ${result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
    entries.push(result.data);
  });
  return entries;
}

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** Which entries to pick. */
export interface CatalogFilter {
  /** A GB/T 2260 code prefix: 32 (江苏省 and everything in it), 3208 (淮安市 and its counties), a full code. */
  region?: string;
  level?: GovernmentLevel;
}

/** The entries within the region prefix and at the level asked for; a codeless body counts where its parent is. */
export function filterCatalog(entries: readonly CatalogEntry[], filter: CatalogFilter): CatalogEntry[] {
  return entries.filter((entry) => {
    const code = entry.regionCode ?? entry.parentCode ?? '';
    return (!filter.region || code.startsWith(filter.region)) && (!filter.level || entry.level === filter.level);
  });
}

/** Everything wrong with the catalog: unknown codes and parents, levels that disagree with the region table, bad URLs, duplicates. */
export function checkCatalog(entries: readonly CatalogEntry[], file = 'sources/national/portals.jsonl'): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const problem = (entry: CatalogEntry, field: string, message: string) => problems.push({ file, entry: entry.id, field, message });
  const catalogCodes = new Set(entries.flatMap((entry) => (entry.regionCode ? [entry.regionCode] : [])));
  const seenIds = new Set<string>();
  const seenCodes = new Set<string>();
  for (const entry of entries) {
    if (seenIds.has(entry.id)) problem(entry, 'id', `duplicate id ${entry.id}`);
    seenIds.add(entry.id);
    if (entry.regionCode !== null) {
      if (seenCodes.has(entry.regionCode)) problem(entry, 'regionCode', `duplicate code ${entry.regionCode}`);
      seenCodes.add(entry.regionCode);
    }
    for (const message of checkRegion(entry)) problem(entry, 'regionCode', message);
    if (entry.parentCode !== null && !catalogCodes.has(entry.parentCode) && !getRegion(entry.parentCode)) {
      problem(entry, 'parentCode', `parent ${entry.parentCode} is neither in the catalog nor a known region`);
    }
    const urlProblem = checkPortalUrl(entry.portalUrl);
    if (urlProblem) problem(entry, 'portalUrl', urlProblem);
  }
  return problems;
}

/** A coded entry must name a known region at its level, under its parent; a codeless one must be a known body. */
function checkRegion(entry: CatalogEntry): string[] {
  if (entry.regionCode === null)
    return entry.id in CODELESS_GOVERNMENTS ? [] : [`no region code, and ${entry.id} is not a known body without one`];
  if (!/^\d{6}$/.test(entry.regionCode)) return [`${entry.regionCode} is not a 6-digit GB/T 2260 code`];
  const region = getRegion(entry.regionCode);
  if (!region) return [`${entry.regionCode} is not a known region`];
  const messages: string[] = [];
  if (region.former) messages.push(`${entry.regionCode} ${region.name} is a former code`);
  if (region.level !== entry.level) messages.push(`level ${entry.level}, but ${region.name} is a ${region.level}`);
  if (region.parentCode !== entry.parentCode)
    messages.push(`parent ${entry.parentCode}, but ${region.name} lies under ${region.parentCode}`);
  return messages;
}

/** Null when the URL is an http(s) URL without credentials. */
function checkPortalUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `not a URL: ${url}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `not http(s): ${url}`;
  if (parsed.username || parsed.password) return 'the URL carries credentials';
  return null;
}

/**
 * The crawl source of a catalog entry: its discovered 年报 columns (government, department and township) as start
 * URLs, their hosts as the allowed ones. Null when discovery has found no column (or has not run).
 */
/**
 * Least pause between two requests to a real government portal, whatever hostDelayMs says (its default, 0, suits
 * the simulator and the tests): county portals are small servers, and many sit behind firewalls that block bursts.
 */
export const CATALOG_HOST_DELAY_MS = 1000;

export function sourceFromCatalog(entry: CatalogEntry, discovery?: PortalDiscovery): Source | null {
  const startUrls = [...new Set(discovery?.columns.map((column) => column.url) ?? [])];
  if (startUrls.length === 0) return null;
  const source: Source = {
    id: entry.id,
    name: governmentName(entry),
    level: entry.level,
    startUrls,
    allowedHosts: [...new Set(startUrls.map((url) => new URL(url).host))],
    politeness: { delayMs: CATALOG_HOST_DELAY_MS },
  };
  if (entry.regionCode) source.regionCode = entry.regionCode;
  // A portal answering scripts with a challenge needs the browser; auto starts with plain HTTP all the same.
  if (discovery?.status === 'browser-only') source.crawler = 'auto';
  return source;
}

/**
 * The government's name as its reports write it: 江苏省人民政府, 淮安市淮阴区人民政府, 北京市东城区人民政府 (a
 * municipality's district carries the city), 仙桃市人民政府 (省直辖县), 阿里地区行政公署.
 */
export function governmentName(entry: CatalogEntry): string {
  const codeless = CODELESS_GOVERNMENTS[entry.id];
  if (codeless) return codeless;
  const parent: Region | undefined = entry.parentCode ? getRegion(entry.parentCode) : undefined;
  const qualify = parent && entry.level === 'county' && (parent.level === 'prefecture' || /市$/.test(parent.name));
  // 地区 and 盟 are run by an administrative office of the province, not by a people's government.
  const government = entry.level === 'prefecture' && /(?:地区|盟)$/.test(entry.name) ? '行政公署' : '人民政府';
  return `${qualify ? parent.name : ''}${entry.name}${government}`;
}
