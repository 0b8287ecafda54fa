/** The parse stage: detects 政府信息公开工作年度报告, reads their metadata and statutory tables, and checks the identities. */
export { parseReport, PARSER_VERSION } from './parse-report.ts';
export { readReportMeta, detectFormat } from './meta.ts';
export { checkIdentities } from './identities.ts';
export {
  cellKeys,
  T2_ROWS_2019,
  T2_ROWS_2021,
  T3_ROWS,
  T3_ROWS_ANY,
  T3_OTHER_ONE_ROW,
  T3_OTHER_2021,
  T3_COLUMNS,
  T3_RESULT_PREFIXES,
  T4_COLUMNS,
  T4_GROUPS,
  T4_ROW,
  type RowSpec,
  type TableFormat,
} from './keys.ts';
export {
  listRegions,
  getRegion,
  findRegionsByName,
  regionPath,
  fullRegionName,
  shortRegionName,
  isWithin,
  isFunctionalZone,
  matchRegionName,
  readRegionChain,
  mentionNames,
  type Region,
  type RegionChain,
  type RegionLevel,
} from './regions.ts';
export type * from './types.ts';
