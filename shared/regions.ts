/**
 * GB/T 2260 region codes: the table (shared/data/regions.ts, generated) and lookups by code. Every stage may use it:
 * the crawl checks the national catalog against it, transform reads region names with it, load seeds `regions`.
 */
import { FORMER_ROWS, REGION_ROWS, SPECIAL_ZONE_ROWS } from './data/regions.ts';

/** Level of a region in GB/T 2260 (a department's level is decided elsewhere). */
export type RegionLevel = 'province' | 'prefecture' | 'county';

export interface Region {
  /** 6-digit GB/T 2260 code. */
  code: string;
  name: string;
  /** Null for provinces. Counties of municipalities and 省直辖县 hang directly under the province. */
  parentCode: string | null;
  level: RegionLevel;
  /** True for bodies reporting as a region without a code of their own (平潭综合实验区); code is the unit they run. */
  specialZone?: boolean;
  /** True for a name (and code) of 2019 or 2021 that has changed since (海门市 320684, now 海门区 320614). */
  former?: boolean;
}

interface RegionTable {
  byCode: Map<string, Region>;
  /** Each code once, today's region before a former one. */
  all: Region[];
  /** Every row, special zones and former names included: what a name may refer to. */
  named: Region[];
}

const levelByLetter: Record<string, RegionLevel> = { p: 'province', c: 'prefecture', x: 'county' };
let table: RegionTable | undefined;

function parseRows(rows: string, flag?: 'specialZone' | 'former'): Region[] {
  return rows
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [code = '', name = '', parentCode = '', letter = ''] = line.split(',');
      const region: Region = { code, name, parentCode: parentCode || null, level: levelByLetter[letter] ?? 'county' };
      if (flag) region[flag] = true;
      return region;
    });
}

function buildTable(): RegionTable {
  const current = parseRows(REGION_ROWS);
  const zones = parseRows(SPECIAL_ZONE_ROWS, 'specialZone');
  const former = parseRows(FORMER_ROWS, 'former');
  const byCode = new Map(current.map((region) => [region.code, region]));
  // A retired code still names its region; a reused one (桥东区 130502, now 襄都区) keeps today's name.
  for (const region of former) if (!byCode.has(region.code)) byCode.set(region.code, region);
  const all = [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  return { byCode, all, named: [...current, ...zones, ...former] };
}

function regionTable(): RegionTable {
  table ??= buildTable();
  return table;
}

/**
 * Every GB/T 2260 region a report may be coded with, for the loader's `regions` table: today's, plus the
 * retired codes of 2019 and 2021 (marked `former`), each code once.
 */
export function listRegions(): readonly Region[] {
  return regionTable().all;
}

/** Every region row a name may refer to: today's, the special zones, and every former name. */
export function listNamedRegions(): readonly Region[] {
  return regionTable().named;
}

/** The region with this 6-digit code, if it exists now or existed in 2019 or 2021. */
export function getRegion(code: string): Region | undefined {
  return regionTable().byCode.get(code);
}

/** The region and its ancestors, outermost first (甘肃省, 张掖市, 肃南裕固族自治县). */
export function regionPath(region: Region): Region[] {
  const path = [region];
  for (let code = region.parentCode; code;) {
    const parent = getRegion(code);
    if (!parent) break;
    path.unshift(parent);
    code = parent.parentCode;
  }
  return path;
}

/** The name with its ancestors, as the truth files write it: 江苏省淮安市洪泽区, 福建省平潭综合实验区. */
export function fullRegionName(region: Region): string {
  return regionPath(region)
    .map((step) => step.name)
    .join('');
}

/** Whether `region` lies within (or is) the region coded `ancestorCode`. */
export function isWithin(region: Region, ancestorCode: string): boolean {
  return regionPath(region).some((step) => step.code === ancestorCode);
}

/**
 * Whether the region is a functional zone rather than an administrative division: a special zone, or one of the
 * statistical codes xxxx7x given to development zones and new areas (淮安经济技术开发区 320871).
 */
export function isFunctionalZone(region: Region): boolean {
  return region.specialZone === true || (region.level === 'county' && region.code[4] === '7');
}
