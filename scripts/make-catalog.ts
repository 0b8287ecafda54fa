/**
 * Generates sources/national/portals.jsonl, the national catalog (one CatalogEntry a line, sorted by code), from
 * the shared catalog of government portals (../shared/catalog/portals.tsv: region_code, level, path, portal_url)
 * and the region table (shared/regions.ts). Names and parents come from the region table; the path and the portal
 * from the TSV. Prints the rows whose TSV names disagree with the 2023 names (the TSV's portal is kept).
 * Usage: node --import tsx scripts/make-catalog.ts [portals.tsv]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CatalogEntry, GovernmentLevel } from '../crawlers/catalog-types.ts';
import { getRegion, regionPath, type Region } from '../shared/regions.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultTsv = path.join(here, '../../shared/catalog/portals.tsv');
const outFile = path.join(here, '../sources/national/portals.jsonl');

/** The two bodies without a GB/T 2260 code, by their TSV path: their ids and the government they belong under. */
const CODELESS: Record<string, { id: string; parentCode: string }> = {
  '重庆市/两江新区': { id: 'gov-cq-liangjiang', parentCode: '500000' },
  '新疆维吾尔自治区/新疆生产建设兵团': { id: 'gov-xjbt', parentCode: '650000' },
};

interface TsvRow {
  regionCode: string;
  level: GovernmentLevel;
  path: string;
  portalUrl: string;
}

function readTsv(file: string): TsvRow[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  if (header !== 'region_code\tlevel\tpath\tportal_url') throw new Error(`${file}: unexpected header ${header}`);
  return lines.map((line) => {
    const [regionCode = '', level = '', rowPath = '', portalUrl = ''] = line.split('\t');
    return { regionCode, level: level as GovernmentLevel, path: rowPath, portalUrl: portalUrl.trim() };
  });
}

/** The entry for one TSV row, and a note when the TSV names the region otherwise than the 2023 codes do. */
function makeEntry(row: TsvRow): { entry: CatalogEntry; disagreement: string | null } {
  const lastName = row.path.split('/').at(-1) ?? row.path;
  if (row.regionCode === '') {
    const codeless = CODELESS[row.path];
    if (!codeless) throw new Error(`a row without a code that is not a known codeless body: ${row.path}`);
    const entry: CatalogEntry = {
      id: codeless.id,
      regionCode: null,
      name: lastName,
      level: row.level,
      parentCode: codeless.parentCode,
      path: row.path,
      portalUrl: row.portalUrl,
    };
    return { entry, disagreement: null };
  }
  const region = findGovernmentRegion(row.regionCode, lastName);
  const officialPath = regionPath(region)
    .map((step) => step.name)
    .join('/');
  const notes = [
    officialPath === row.path ? '' : `names: TSV ${row.path}, 2023 ${officialPath}`,
    region.code === row.regionCode ? '' : `code: TSV ${row.regionCode}, 2023 ${region.code}`,
    region.level === row.level ? '' : `level: TSV ${row.level}, 2023 ${region.level}`,
  ].filter((note) => note !== '');
  const entry: CatalogEntry = {
    id: `gov-${region.code}`,
    regionCode: region.code,
    name: region.name,
    level: region.level,
    parentCode: region.parentCode,
    path: row.path,
    portalUrl: row.portalUrl,
  };
  return { entry, disagreement: notes.length > 0 ? `${row.regionCode} ${row.path}: ${notes.join('; ')}` : null };
}

/**
 * The region of a TSV code. A city without counties (嘉峪关市) lists itself as its own only county in the NBS
 * table (620201); its government is the prefecture-level city's (620200).
 */
function findGovernmentRegion(code: string, name: string): Region {
  const region = getRegion(code);
  if (region) return region;
  const city = getRegion(`${code.slice(0, 4)}00`);
  if (city?.name === name) return city;
  throw new Error(`${code} (${name}) is not in the region table`);
}

/** Coded entries by code, then the codeless ones by id. */
function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  if (a.regionCode && b.regionCode) return a.regionCode.localeCompare(b.regionCode);
  if (a.regionCode || b.regionCode) return a.regionCode ? -1 : 1;
  return a.id.localeCompare(b.id);
}

const rows = readTsv(process.argv[2] ?? defaultTsv);
const made = rows.map(makeEntry);
const entries = made.map((m) => m.entry).sort(compareEntries);
const disagreements = made.flatMap((m) => (m.disagreement ? [m.disagreement] : []));
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
for (const line of disagreements) console.log(`differs from 2023: ${line}`);
console.log(
  `${entries.length} catalog entries, ${disagreements.length} differing from the 2023 codes (kept with the TSV's portal and the 2023 code, name and level) -> ${outFile}`,
);
