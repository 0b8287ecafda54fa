/** Discovery: from a government portal's home page to its 政府信息公开年报 column(s), one portal or the whole catalog. */
export { discoverPortal } from './discover-portal.ts';
export type { DiscoverOptions } from './discover-options.ts';
export { discoverPortals, countDiscovery, emptySummary, type DiscoverPortalsOptions, type DiscoverySummary } from './discover-portals.ts';
export { canonicalColumnUrl, columnFromReportUrl, isSingleArticleUrl } from './report-url.ts';
export { platformOfUrl, platformOfHtml, recognizePlatform } from './platform.ts';
export { classifyLink, subColumnRole, type LinkRole } from './link-roles.ts';
export { disclosureHostGuesses, isOwnSiteHost, namesGovernment } from './site-identity.ts';
export { pathGuesses } from './path-guesses.ts';
