/**
 * GB/T 2260 region codes: lookups by code and by name, and reading region names out of issuer names and text.
 * The table is generated (transform/data/regions.ts) and indexed once, on first use.
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
  /** True for a name (and code) of 2019 that has changed since (海门市 320684, now 海门区 320614). */
  former?: boolean;
}

/** A run of region names read at the start of a text, outermost first. */
export interface RegionChain {
  /** The regions named, each within the one before it; the last may still be ambiguous. */
  names: string[];
  /** Candidates for the last name, narrowed by the names before it. */
  candidates: Region[];
  /** Characters consumed from the start of the text. */
  length: number;
}

interface RegionIndex {
  byCode: Map<string, Region>;
  /** Full names, suffixed short forms (肃南县) and, for provinces and prefectures, bare short forms (甘肃). */
  byName: Map<string, Region[]>;
  longestName: number;
  all: Region[];
}

const levelByLetter: Record<string, RegionLevel> = { p: 'province', c: 'prefecture', x: 'county' };
let index: RegionIndex | undefined;

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

/** The 55 minority names that autonomous regions carry before 自治区/州/县/旗, longest first. */
const ethnicNames = (
  '柯尔克孜 乌孜别克 俄罗斯 鄂伦春 达斡尔 维吾尔 哈萨克 塔吉克 塔塔尔 鄂温克 土家 布依 朝鲜 哈尼 傈僳 拉祜 纳西 景颇 ' +
  '仫佬 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 德昂 保安 裕固 独龙 赫哲 门巴 珞巴 基诺 蒙古 高山 东乡 ' +
  '回 藏 苗 彝 壮 满 侗 瑶 白 傣 黎 佤 畲 水 土 羌 怒 京'
).split(' ');

/** 肃南裕固族自治县 → 肃南, 广西壮族自治区 → 广西, 淮安市 → 淮安; null when nothing distinctive is left. */
export function shortRegionName(name: string): string | null {
  let short = name.replace(/(特别行政区|自治区|自治州|自治县|自治旗|地区|林区|特区|省|市|县|区|旗|盟|州)$/, '');
  const autonomous = short !== name && /自治/.test(name);
  for (let stripped = true; autonomous && stripped; ) {
    stripped = false;
    for (const ethnic of ethnicNames) {
      const suffix = short.endsWith(`${ethnic}族`) ? `${ethnic}族` : short.endsWith(ethnic) && ethnic === '维吾尔' ? ethnic : null;
      if (suffix && short.length - suffix.length >= 2) {
        short = short.slice(0, -suffix.length);
        stripped = true;
        break;
      }
    }
  }
  return short.length >= 2 && short !== name ? short : null;
}

function addName(byName: Map<string, Region[]>, name: string, region: Region): void {
  const list = byName.get(name) ?? [];
  if (!list.includes(region)) list.push(region);
  byName.set(name, list);
}

function buildIndex(): RegionIndex {
  const all = parseRows(REGION_ROWS);
  const zones = parseRows(SPECIAL_ZONE_ROWS, 'specialZone');
  const former = parseRows(FORMER_ROWS, 'former');
  const byCode = new Map(all.map((region) => [region.code, region]));
  // A retired code still names its region; a reused one (桥东区 130502, now 襄都区) keeps today's name.
  for (const region of former) if (!byCode.has(region.code)) byCode.set(region.code, region);
  const byName = new Map<string, Region[]>();
  for (const region of [...all, ...zones, ...former]) {
    addName(byName, region.name, region);
    const short = shortRegionName(region.name);
    if (!short) continue;
    if (region.level !== 'county') addName(byName, short, region);
    // 肃南裕固族自治县 is often written 肃南县; a plain 汤原县 needs no variant.
    if (/自治[县旗]$/.test(region.name)) addName(byName, `${short}${region.name.endsWith('旗') ? '旗' : '县'}`, region);
    if (/自治州$/.test(region.name)) addName(byName, `${short}州`, region);
  }
  // A full name wins over another region's short form (吉林市 vs 吉林省 → 吉林): drop short-form clashes.
  for (const [name, regions] of byName) {
    const exact = regions.filter((region) => region.name === name);
    if (exact.length > 0 && exact.length < regions.length) byName.set(name, exact);
  }
  const longestName = Math.max(...[...byName.keys()].map((name) => name.length));
  return { byCode, byName, longestName, all: [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)) };
}

function regionIndex(): RegionIndex {
  index ??= buildIndex();
  return index;
}

/**
 * Every GB/T 2260 region a report may be coded with, for the loader's `regions` table: today's, plus the
 * retired codes of 2019 (marked `former`), each code once.
 */
export function listRegions(): readonly Region[] {
  return regionIndex().all;
}

/** The region with this 6-digit code, if it exists now or existed in 2019. */
export function getRegion(code: string): Region | undefined {
  return regionIndex().byCode.get(code);
}

/** Regions called by this name: full name, 肃南县-style short form, or a province's or prefecture's short form. */
export function findRegionsByName(name: string): Region[] {
  return regionIndex().byName.get(name) ?? [];
}

/** The region and its ancestors, outermost first (甘肃省, 张掖市, 肃南裕固族自治县). */
export function regionPath(region: Region): Region[] {
  const path = [region];
  for (let code = region.parentCode; code; ) {
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

/** The longest region name that starts `text` at `start`, with its regions. */
export function matchRegionName(text: string, start = 0): { name: string; regions: Region[] } | null {
  const { byName, longestName } = regionIndex();
  for (let length = Math.min(longestName, text.length - start); length >= 2; length--) {
    const name = text.slice(start, start + length);
    const regions = byName.get(name);
    if (regions) return { name, regions };
  }
  return null;
}

/**
 * Reads consecutive region names from the start of `text`, each inside the one before
 * (淮安市洪泽区人民政府 → 淮安市, 洪泽区). Null when the text does not start with a region name.
 */
export function readRegionChain(text: string): RegionChain | null {
  let chain: RegionChain | null = null;
  for (let position = 0; ; ) {
    const match = matchRegionName(text, position);
    if (!match) break;
    const parents: Region[] = chain?.candidates ?? [];
    const inside: Region[] = parents.length === 0
      ? match.regions
      : match.regions.filter((region) => parents.some((parent) => region !== parent && isWithin(region, parent.code)));
    if (inside.length === 0) break;
    position += match.name.length;
    const names: string[] = chain ? chain.names : [];
    chain = { names: [...names, match.name], candidates: inside, length: position };
  }
  return chain;
}

/** Names by which text may mention a region: its full name and, above county level, its short form. */
export function mentionNames(region: Region): string[] {
  const short = region.level === 'county' ? null : shortRegionName(region.name);
  return short ? [region.name, short] : [region.name];
}
