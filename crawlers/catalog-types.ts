/**
 * The national catalog (sources/national/portals.jsonl: one government a line) and what discovery learns about
 * each portal. Plain data shared by the catalog reader, discovery, the CLI and the warehouse.
 */

/** Level of a government in the catalog (a department is never a catalog entry: it is found inside one). */
export type GovernmentLevel = 'province' | 'prefecture' | 'county';

/** One government of the national catalog, as shipped in the repo. */
export interface CatalogEntry {
  /** Stable source id: `gov-<region code>` (or `gov-<slug>` for the two bodies without a code). */
  id: string;
  /** 6-digit GB/T 2260 code (2023 division codes); null for 重庆两江新区 and 新疆生产建设兵团. */
  regionCode: string | null;
  /** The government's name, e.g. 淮安市淮阴区人民政府 is named by its region: 淮阴区. */
  name: string;
  level: GovernmentLevel;
  /** The enclosing government's code (null for provinces). */
  parentCode: string | null;
  /** Province/prefecture/county names, e.g. 江苏省/淮安市/淮阴区. */
  path: string;
  /** The portal's home page. */
  portalUrl: string;
}

/** Whose reports a column lists. */
export type ColumnScope = 'government' | 'department' | 'township';

/** Portal software, as recognised from URLs and page markers (report-columns.tsv's platform_guess). */
export type Platform =
  | 'trs'
  | 'hanweb'
  | 'vsb'
  | 'gkmlpt'
  | 'gd-content'
  | 'hebei-columns'
  | 'hunan'
  | 'kunming'
  | 'jiangsu'
  | 'epoint'
  | 'static'
  | 'aspnet'
  | 'other';

/** How a column was found. */
export type DiscoveryMethod =
  | 'link-text' // an anchor whose text or title names the 年报 column, followed from the home page
  | 'platform-page' // via the portal's 政府信息公开 / 信息公开目录 page
  | 'path-guess' // a well-known path (zfxxgknb, xxgknb, …) that answered with a report list
  | 'xxgk-subdomain' // on the portal's xxgk. sub-domain
  | 'parent-portal' // on the enclosing government's portal
  | 'report-url'; // cut from a known report's address

/** A 政府信息公开年报 column found on a portal. */
export interface ReportColumn {
  url: string;
  scope: ColumnScope;
  /** For department and township columns: the body's name when the page says it (财政局, 河东乡). */
  body?: string;
  platform: Platform;
  method: DiscoveryMethod;
  /** Why we believe it: the link text or title matched, report titles seen on it, the path tried. */
  evidence: string;
}

/** What the last discovery concluded about a portal as a whole. */
export type PortalStatus =
  | 'ok' // at least one government column found
  | 'no-column' // the portal answered, but no 年报 column was found
  | 'moved' // the home page redirects off its host (movedTo says where)
  | 'dead' // DNS, connection or HTTP errors on the home page
  | 'browser-only'; // answers scripts with an anti-bot challenge (412/521/JS)

/** One discovery of one portal: kept in the warehouse (portal_discoveries), latest per portal wins. */
export interface PortalDiscovery {
  /** CatalogEntry.id */
  sourceId: string;
  portalUrl: string;
  status: PortalStatus;
  /** For anything but ok: a sentence naming the cause (HTTP 521 challenge, connection refused as errors.ts describes it, redirected to …). */
  reason: string | null;
  movedTo: string | null;
  platform: Platform | null;
  columns: ReportColumn[];
  pagesFetched: number;
  /** ISO 8601. */
  checkedAt: string;
}
