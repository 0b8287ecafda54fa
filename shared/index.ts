/**
 * Basics every stage may use (crawl, extract, transform, load alike): the GB/T 2260 region table, HTML decoding,
 * WAF challenge recognition, content hashes and atomic files, and the issuer level.
 */
export { detectChallenge } from './anti-bot.ts';
export { decodeHtml, type DecodedHtml } from './charset.ts';
export { readJson, sha256Hex, writeFileAtomic, writeJsonAtomic } from './files.ts';
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
export type { ArchivedPart, DocumentIssuer, FetchedDocument } from './document.ts';
export type { Level } from './types.ts';
export { configureLogger, createLogger, logger, type LogFormat, type LogLevel } from './logger.ts';
