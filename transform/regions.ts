/**
 * Reading region names out of issuer names and text: lookups by name, short forms, chains of names. The table and
 * the lookups by code live in shared/regions.ts and are re-exported here, so transform's surface stays one module.
 */
import { listNamedRegions, isWithin, type Region } from '../shared/regions.ts';

export {
  fullRegionName,
  getRegion,
  isFunctionalZone,
  isWithin,
  listRegions,
  regionPath,
  type Region,
  type RegionLevel,
} from '../shared/regions.ts';

/** A run of region names read at the start of a text, outermost first. */
export interface RegionChain {
  /** The regions named, each within the one before it; the last may still be ambiguous. */
  names: string[];
  /** Candidates for the last name, narrowed by the names before it. */
  candidates: Region[];
  /** Characters consumed from the start of the text. */
  length: number;
}

interface NameIndex {
  /** Full names, suffixed short forms (肃南县) and, for provinces and prefectures, bare short forms (甘肃). */
  byName: Map<string, Region[]>;
  longestName: number;
}

let index: NameIndex | undefined;

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
  for (let stripped = true; autonomous && stripped;) {
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

function buildIndex(): NameIndex {
  const byName = new Map<string, Region[]>();
  for (const region of listNamedRegions()) {
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
  return { byName, longestName };
}

function nameIndex(): NameIndex {
  index ??= buildIndex();
  return index;
}

/** Regions called by this name: full name, 肃南县-style short form, or a province's or prefecture's short form. */
export function findRegionsByName(name: string): Region[] {
  return nameIndex().byName.get(name) ?? [];
}

/** The longest region name that starts `text` at `start`, with its regions. */
export function matchRegionName(text: string, start = 0): { name: string; regions: Region[] } | null {
  const { byName, longestName } = nameIndex();
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
  for (let position = 0; ;) {
    const match = matchRegionName(text, position);
    if (!match) break;
    const parents: Region[] = chain?.candidates ?? [];
    const inside: Region[] =
      parents.length === 0
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
