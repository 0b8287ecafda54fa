/**
 * Plans the national simulator's portals from a seed, before any server listens: which real governments (GB/T
 * 2260 regions, each prefecture with its counties), each portal's software, how its 年报 column is reached, whether
 * it is alive, and which departments and townships publish reports on it. Same seed, same plan.
 */
import type { ColumnScope, GovernmentLevel, Platform } from '../../crawlers/catalog-types.ts';
import { isFunctionalZone, listRegions, regionPath, type Region } from '../../transform/regions.ts';
import { DEPARTMENTS, TOWNSHIPS, departmentName, type NamedSlug } from './vocabulary.ts';

/** The platforms the simulator renders (a subset of the catalog's Platform). */
export type SimulatedPlatform = Extract<
  Platform,
  'trs' | 'hanweb' | 'vsb' | 'gd-content' | 'hebei-columns' | 'hunan' | 'kunming' | 'jiangsu' | 'static' | 'aspnet'
>;

/**
 * How the government's 年报 column is reached from the home page:
 * - `links`: 首页 → 政务公开 → 政府信息公开 (or 信息公开目录) → 政府信息公开年报, all plain anchors;
 * - `script-nav`: the home page's navigation is written by a script from a JSON array (no anchors in the HTML);
 * - `xxgk-host`: the home page links 政府信息公开 to a separate xxgk site (another port), which holds the columns;
 * - `parent-portal`: the columns live on the enclosing prefecture's portal; the county's home page links there;
 * - `path-guess`: nothing links the column; it sits at a well-known path (/zfxxgk/zfxxgknb/ …).
 */
export type Navigation = 'links' | 'script-nav' | 'xxgk-host' | 'parent-portal' | 'path-guess';

/** What a plain-HTTP client meets at the catalog's portal URL. */
export type ManifestStatus = 'ok' | 'dead' | 'moved' | 'browser-only';

/** A body whose reports a column lists: the government itself, a department, or a township. */
export interface BodyPlan {
  scope: ColumnScope;
  /** 财政局, 城关镇; the government's site name for its own column. */
  name: string;
  /** The issuer as report titles name it: 肃南裕固族自治县财政局. */
  issuer: string;
  /** Folder name (pinyin initials) of a sub-column. */
  slug: string;
  /** Report years, newest first. */
  years: number[];
  /** Which title phrasing the body uses (vocabulary.ts reportTitle). */
  titleVariant: number;
  /** The sub-column link shows only the body's name, the 年报 words sit in its title attribute. */
  nameOnlyLink: boolean;
}

export interface PortalPlan {
  region: Region;
  /** CatalogEntry.id: gov-<code>. */
  sourceId: string;
  level: GovernmentLevel;
  /** 甘肃省/张掖市/肃南裕固族自治县. */
  path: string;
  /** 肃南裕固族自治县人民政府. */
  siteName: string;
  platform: SimulatedPlatform;
  navigation: Navigation;
  status: ManifestStatus;
  /** For browser-only portals: 412 (瑞数 $_ts) or 521 (加速乐 __jsl_clearance). */
  challengeStatus: 412 | 521 | null;
  /** Folder of the government column on path-based platforms (trs, gd-content, kunming, static). */
  wellKnownRoot: string;
  /** The 政府信息公开 hub's link text. */
  hubText: '政府信息公开' | '信息公开目录';
  /** The government first, then departments, then townships. */
  bodies: BodyPlan[];
  /** Whether the portal carries look-alike news lists and columns. */
  decoys: boolean;
  /** For parent-portal navigation: the prefecture's sourceId. */
  parentSourceId: string | null;
  /** Seed of this portal's document ids and UUIDs. */
  idSeed: number;
  /** Pages in GBK bytes under a gb2312 meta. */
  charset: 'utf-8' | 'gbk';
  /** Unknown paths answer 200 页面不存在 (a soft 404), which path guesses must not take for a column. */
  softNotFound: boolean;
  /** List rows cut their anchor text with … and keep the full title in the title attribute (PORTALS.md §1.1). */
  truncatedAnchors: boolean;
  /**
   * The government column links one 部门 and one 乡镇 index page, which list the sub-columns by the body's bare
   * name (财政局, 城关镇): the sub-columns are one hop further, and the index pages are not columns.
   */
  subColumnIndex: boolean;
  /**
   * The government column (folder platforms only) lists year tabs (2023年 → <column>/2023n/), each year folder
   * holding that year's report: the folders are pages of the column, not columns.
   */
  yearFolders: boolean;
}

/** A small fast PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a text, to derive per-portal seeds. */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193) >>> 0;
  return hash;
}

export type Random = () => number;

export const pickOne = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
export const integerBetween = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** A value drawn with the given weights. */
export function pickWeighted<T>(random: Random, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of weighted) if ((roll -= weight) < 0) return value;
  return weighted[weighted.length - 1]![0];
}

/** `count` distinct values in a random order. */
export function sample<T>(random: Random, values: readonly T[], count: number): T[] {
  const copy = [...values];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy.slice(0, count);
}

/** Every prefecture (and municipality) with its counties, head first; development zones left out. */
function regionGroups(): Region[][] {
  const regions = listRegions().filter((region) => !region.former && !region.specialZone && !isFunctionalZone(region));
  const countiesOf = new Map<string, Region[]>();
  for (const region of regions) {
    if (region.level !== 'county' || !region.parentCode) continue;
    countiesOf.set(region.parentCode, [...(countiesOf.get(region.parentCode) ?? []), region]);
  }
  return regions
    .filter((region) => region.level !== 'county' && countiesOf.has(region.code))
    .map((head) => [head, ...countiesOf.get(head.code)!]);
}

/** `count` governments: whole prefectures in a seeded order, each preceded by its province the first time. */
function pickRegions(count: number, random: Random): Region[] {
  const picked: Region[] = [];
  const seen = new Set<string>();
  const add = (region: Region) => {
    if (picked.length < count && !seen.has(region.code)) (picked.push(region), seen.add(region.code));
  };
  for (const group of sample(random, regionGroups(), Number.MAX_SAFE_INTEGER)) {
    const province = regionPath(group[0]!)[0]!;
    add(province);
    group.forEach(add);
    if (picked.length >= count) break;
  }
  return picked;
}

/** Regional platforms where a province runs one (PORTALS.md §1, report-columns.tsv), else the national mix. */
function drawPlatform(random: Random, code: string): SimulatedPlatform {
  const regional: [string, SimulatedPlatform, number][] = [
    ['5301', 'kunming', 0.8],
    ['53', 'kunming', 0.3],
    ['44', 'gd-content', 0.7],
    ['13', 'hebei-columns', 0.7],
    ['43', 'hunan', 0.6],
    ['32', 'jiangsu', 0.6],
  ];
  const match = regional.find(([prefix]) => code.startsWith(prefix));
  if (match && random() < match[2]) return match[1];
  // The regional platforms keep a small share elsewhere, so that every shape shows up in any sample of prefectures.
  return pickWeighted<SimulatedPlatform>(random, [
    ['trs', 40],
    ['hanweb', 30],
    ['vsb', 10],
    ['static', 12],
    ['aspnet', 8],
    ['gd-content', 1.5],
    ['hebei-columns', 1.5],
    ['hunan', 1.5],
    ['jiangsu', 1.5],
    ['kunming', 1.5],
  ]);
}

/** Platforms whose column sits in a folder a path guess can hit. */
const PATH_PLATFORMS = new Set<SimulatedPlatform>(['trs', 'gd-content', 'kunming', 'static']);

/** Platforms whose columns are folders that can hold year folders (2023n/). */
const YEAR_FOLDER_PLATFORMS = new Set<SimulatedPlatform>(['trs', 'gd-content', 'static']);

function wellKnownRoot(random: Random, platform: SimulatedPlatform): string {
  if (platform === 'gd-content') return '/zwgk/zfxxgk/zfxxgknb/';
  if (platform === 'kunming') return '/zfxxgkml/zfxxgkndbg/';
  return pickOne(random, ['/zwgk/zfxxgk/zfxxgknb/', '/zfxxgk/zfxxgknb/', '/xxgk/xxgknb/', '/gk/zfxxgknb/', '/xxgk/zfxxgkndbg/']);
}

function recentYears(count: number): number[] {
  return Array.from({ length: count }, (_, index) => 2023 - index);
}

function body(random: Random, scope: ColumnScope, named: NamedSlug, issuer: string, years: number[]): BodyPlan {
  return {
    scope,
    name: named.name,
    issuer,
    slug: named.slug,
    years,
    titleVariant: integerBetween(random, 0, 7),
    nameOnlyLink: random() < 0.3,
  };
}

/** The government, 3–6 departments and, for a county, 2–4 townships. */
function planBodies(random: Random, region: Region, siteName: string): BodyPlan[] {
  const government = body(random, 'government', { name: siteName, slug: '' }, siteName, recentYears(integerBetween(random, 5, 8)));
  const departments = sample(random, DEPARTMENTS, integerBetween(random, 3, 6)).map((department) => {
    const name = departmentName(department, region.level);
    return body(random, 'department', { name, slug: department.slug }, region.name + name, recentYears(integerBetween(random, 2, 3)));
  });
  const townships =
    region.level !== 'county'
      ? []
      : sample(random, TOWNSHIPS, integerBetween(random, 2, 4)).map((township) =>
          body(random, 'township', township, `${region.name}${township.name}人民政府`, recentYears(integerBetween(random, 2, 3))),
        );
  return [government, ...departments, ...townships];
}

function planPortal(region: Region, seed: number, parents: Map<string, PortalPlan>): PortalPlan {
  const random = seededRandom(hashText(`${seed}:${region.code}`));
  const status = pickWeighted<ManifestStatus>(random, [
    ['ok', 90],
    ['dead', 3],
    ['moved', 3],
    ['browser-only', 4],
  ]);
  let platform = drawPlatform(random, region.code);
  let navigation = pickWeighted<Navigation>(random, [
    ['links', 50],
    ['script-nav', 15],
    ['xxgk-host', 12],
    ['path-guess', 13],
    ['parent-portal', 10],
  ]);
  const parent = region.parentCode ? parents.get(region.parentCode) : undefined;
  const parentUsable = region.level === 'county' && parent?.status === 'ok' && parent.level === 'prefecture';
  if (navigation === 'parent-portal' && (!parentUsable || status !== 'ok')) navigation = 'links';
  // The parent's software renders the columns it hosts.
  if (navigation === 'parent-portal') platform = parent!.platform;
  if (navigation === 'path-guess' && !PATH_PLATFORMS.has(platform)) platform = 'trs';
  const siteName = `${region.name}人民政府`;
  return {
    region,
    sourceId: `gov-${region.code}`,
    level: region.level,
    path: regionPath(region)
      .map((step) => step.name)
      .join('/'),
    siteName,
    platform,
    navigation,
    status,
    challengeStatus: status === 'browser-only' ? pickOne(random, [412, 521] as const) : null,
    wellKnownRoot: wellKnownRoot(random, platform),
    hubText: random() < 0.7 ? '政府信息公开' : '信息公开目录',
    bodies: planBodies(random, region, siteName),
    decoys: random() < 0.75,
    parentSourceId: navigation === 'parent-portal' ? parent!.sourceId : null,
    idSeed: hashText(`ids:${seed}:${region.code}`),
    charset: random() < 0.25 ? 'gbk' : 'utf-8',
    softNotFound: random() < 0.3,
    truncatedAnchors: random() < 0.5,
    subColumnIndex: random() < 0.3,
    yearFolders: YEAR_FOLDER_PLATFORMS.has(platform) && random() < 0.25,
  };
}

/** Plans `count` portals from `seed` (deterministic). A county may be hosted by its prefecture, planned before it. */
export function planNationalPortals(count: number, seed: number): PortalPlan[] {
  const plans: PortalPlan[] = [];
  const byCode = new Map<string, PortalPlan>();
  for (const region of pickRegions(count, seededRandom(seed))) {
    const plan = planPortal(region, seed, byCode);
    plans.push(plan);
    byCode.set(region.code, plan);
  }
  return plans;
}
