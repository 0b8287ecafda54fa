/** Basics every stage may use (crawl, transform, load alike): the GB/T 2260 region table and its lookups by code. */
export {
  fullRegionName,
  getRegion,
  isFunctionalZone,
  isWithin,
  listNamedRegions,
  listRegions,
  regionPath,
  type Region,
  type RegionLevel,
} from './regions.ts';
