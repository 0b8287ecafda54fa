/**
 * Builds one planned portal onto its hosts: the 年报 column and its department and township sub-columns with their
 * reports, the navigation that leads there (or does not), the look-alike columns, the redirect of a moved portal
 * and the challenge of a browser-only one; returns what was planted, as the portal's manifest.
 */
import type { ColumnScope, Platform } from '../../crawlers/catalog-types.ts';
import { html, type Reply } from '../http-util.ts';
import { addressColumn, type ColumnAddress } from './column-address.ts';
import { integerBetween, seededRandom, type BodyPlan, type ManifestStatus, type Navigation, type PortalPlan, type Random } from './plan-portals.ts';
import {
  CHALLENGE_COOKIES, linkBlock, pageCountOf, pageShell, renderArticlePage, renderChallengePage, renderDataproxy,
  renderHanwebColumnPage, renderListPage, renderReportPage, scriptNavigation, type Link, type RenderedColumn,
} from './render-pages.ts';
import { addRoute, allocateId, type SiteHost } from './site-host.ts';
import { decoyNewsTitles, reportTitle, websiteReportTitles, workReportTitles } from './vocabulary.ts';

/** What was planted on a portal: the truth a discovery or a crawl is scored against. */
export interface PortalManifest {
  sourceId: string;
  platform: Platform;
  status: ManifestStatus;
  /** How the government column is reached (for breakdowns by shape). */
  navigation: Navigation;
  /** The planted 年报 columns, absolute URLs (none on a dead portal). */
  columns: { url: string; scope: ColumnScope; body?: string }[];
  reports: { url: string; title: string; columnUrl: string }[];
  /** News lists and look-alike columns (通知公告, 政府工作报告, 政府网站工作年度报表): a discovery that picks one is wrong. */
  decoyColumns: string[];
  /** For a moved portal: the new home page. */
  movedTo: string | null;
  /** Difficulties beyond platform and navigation: gbk, soft-404, truncated-anchors, sub-column-index. */
  traits: string[];
}

/** The hosts of every portal, by key (`<sourceId>`, `<sourceId>/new`, `<sourceId>/xxgk`). */
export type HostsByKey = Map<string, SiteHost>;

/** The keys of the hosts a plan needs: none for a dead portal, a new host for a moved one, an xxgk host. */
export function hostKeysOf(plan: PortalPlan): string[] {
  if (plan.status === 'dead') return [];
  const keys = [plan.sourceId];
  if (plan.status === 'moved') keys.push(`${plan.sourceId}/new`);
  if (plan.navigation === 'xxgk-host') keys.push(`${plan.sourceId}/xxgk`);
  return keys;
}

/** Shared across portals while building: the columns a prefecture hosts for its counties, Hanweb columns per host. */
export interface BuildRegistry {
  hostedCounties: Map<string, Link[]>;
  hanwebColumns: WeakMap<SiteHost, Map<number, RenderedColumn>>;
  /** The host holding each built portal's content (the new host of a moved one). */
  contentHosts: Map<string, SiteHost>;
  siteNames: Map<string, string>;
}

export function createBuildRegistry(): BuildRegistry {
  return { hostedCounties: new Map(), hanwebColumns: new WeakMap(), contentHosts: new Map(), siteNames: new Map() };
}

const PER_PAGE = 5;
const COLUMN_NAMES = ['政府信息公开年报', '政府信息公开年度报告', '信息公开年报'] as const;

/** Where each part of a portal lives. */
interface PortalHosts {
  content: SiteHost;
  /** The 年报 columns' host: the content host, the xxgk host, or the parent's content host. */
  columns: SiteHost;
  /** The 政府信息公开 hub's host and its base path there. */
  hub: SiteHost;
  hubBase: string;
}

function governmentFolder(plan: PortalPlan): string {
  const prefix = plan.navigation === 'parent-portal' ? `/zwgk/xqnb/x${plan.region.code}` : '';
  if (plan.platform === 'jiangsu') return `${prefix}/${{ province: 'szf', prefecture: 'srmzf', county: 'xrmzf' }[plan.level]}/zfxxgknb/`;
  return prefix ? `${prefix}/` : plan.wellKnownRoot;
}

function publicationDate(random: Random, year: number, scope: ColumnScope): string {
  // Departments publish by the end of January, governments by the end of March (PORTALS.md §0.2).
  const month = scope === 'government' ? integerBetween(random, 1, 3) : 1;
  return `${year + 1}-${String(month).padStart(2, '0')}-${String(integerBetween(random, 5, 28)).padStart(2, '0')}`;
}

/** Serves every list page of a column (and, on Hanweb, registers it for dataproxy.jsp). */
function serveColumn(host: SiteHost, column: RenderedColumn, registry: BuildRegistry): void {
  const { address } = column;
  if (address.pager === 'hanweb') {
    addRoute(host, [address.path, ...address.aliases], () => html(renderHanwebColumnPage(column)));
    const columns = registry.hanwebColumns.get(host) ?? new Map<number, RenderedColumn>();
    if (columns.size === 0) addRoute(host, ['/module/web/jpage/dataproxy.jsp'], (_request, url, body) => answerDataproxy(columns, url, body));
    registry.hanwebColumns.set(host, columns.set(address.columnId, column));
    return;
  }
  const pageCount = pageCountOf(column);
  for (let page = 0; page < pageCount; page++) {
    const paths = page === 0 ? [address.path, ...address.aliases] : [address.pagePath(page, pageCount)];
    addRoute(host, paths, () => html(renderListPage(column, page)));
  }
}

/** POST (form) or GET (query) dataproxy.jsp: records startrecord..endrecord, or page N of perpage. */
function answerDataproxy(columns: Map<number, RenderedColumn>, url: URL, body: string): Reply {
  const form = new URLSearchParams(body);
  const field = (name: string) => form.get(name) ?? url.searchParams.get(name);
  const column = columns.get(Number(field('columnid')));
  if (!column) return { status: 200, contentType: 'text/xml; charset=utf-8', body: '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord></datastore>' };
  const perPage = Number(field('perpage') ?? column.perPage);
  const page = Number(field('page') ?? 1);
  const start = Number(field('startrecord') ?? (page - 1) * perPage + 1);
  const end = Number(field('endrecord') ?? start + perPage - 1);
  return { status: 200, contentType: 'text/xml; charset=utf-8', body: renderDataproxy(column, start, end) };
}

/** One body's column: its reports (served), its list pages (served) and its manifest rows. */
function buildColumn(
  plan: PortalPlan, body: BodyPlan, address: ColumnAddress, host: SiteHost, random: Random, manifest: PortalManifest,
): RenderedColumn {
  // On its parent's portal a county's column is named after the county, among its sibling counties' columns.
  const governmentName = plan.navigation === 'parent-portal' ? `${plan.region.name}政府信息公开年报` : COLUMN_NAMES[body.titleVariant % COLUMN_NAMES.length]!;
  const name = body.scope === 'government' ? governmentName : `${body.name}政府信息公开年报`;
  const column: RenderedColumn = { siteName: plan.siteName, name, address, items: [], perPage: PER_PAGE, subColumns: [], truncatedAnchors: plan.truncatedAnchors };
  const columnUrl = host.origin + address.path;
  const columnLink = { text: name, href: address.path };
  for (const year of body.years) {
    const report = { id: 100000 + allocateId(host), year, publishedAt: publicationDate(random, year, body.scope), title: reportTitle(body.issuer, year, body.titleVariant), issuer: body.issuer, href: '' };
    report.href = address.reportPath(report);
    addRoute(host, [report.href], () => html(renderReportPage(plan.siteName, report, columnLink)));
    column.items.push({ title: report.title, href: report.href, publishedAt: report.publishedAt });
    manifest.reports.push({ url: host.origin + report.href, title: report.title, columnUrl });
  }
  manifest.columns.push({ url: columnUrl, scope: body.scope, ...(body.scope === 'government' ? {} : { body: body.name }) });
  return column;
}

/** The government column with its sub-columns linked from its first page. */
function buildColumns(plan: PortalPlan, hosts: PortalHosts, registry: BuildRegistry, manifest: PortalManifest): RenderedColumn {
  const random = seededRandom(plan.idSeed);
  const folder = governmentFolder(plan);
  const [government, ...others] = plan.bodies;
  const main = buildColumn(plan, government!, addressColumn(plan.platform, hosts.columns, folder), hosts.columns, random, manifest);
  const groups: Record<string, Link[]> = { department: [], township: [] };
  for (const body of others) {
    const subFolder = `${folder}${body.scope === 'department' ? 'bm' : 'xz'}/${body.slug}/`;
    const column = buildColumn(plan, body, addressColumn(plan.platform, hosts.columns, subFolder), hosts.columns, random, manifest);
    serveColumn(hosts.columns, column, registry);
    const fullName = `${body.name}政府信息公开年报`;
    groups[body.scope]!.push(body.nameOnlyLink ? { text: body.name, href: column.address.path, title: fullName } : { text: fullName, href: column.address.path });
  }
  const headings = { department: '部门政府信息公开年报', township: '乡镇（街道）政府信息公开年报' };
  main.subColumns = plan.subColumnIndex
    ? [{ heading: '分类年报', links: (['department', 'township'] as const).filter((scope) => groups[scope]!.length > 0).map((scope) => serveSubColumnIndex(plan, hosts.columns, `${folder}${scope === 'department' ? 'bm' : 'xz'}/`, headings[scope], groups[scope]!)) }]
    : (['department', 'township'] as const).map((scope) => ({ heading: headings[scope], links: groups[scope]! }));
  serveColumn(hosts.columns, main, registry);
  return main;
}

/** An index page listing sub-columns by the bodies' bare names; returns the link to it. */
function serveSubColumnIndex(plan: PortalPlan, host: SiteHost, path: string, heading: string, links: Link[]): Link {
  const bare = links.map((link) => ({ text: link.title ? link.text : link.text.replace(/政府信息公开年报$/, ''), href: link.href }));
  addRoute(host, [path, `${path}index.html`], () => html(pageShell(plan.siteName, heading, [{ text: '首页', href: '/' }], linkBlock(heading, bare))));
  return { text: heading, href: path };
}

/** A plain list of look-alike items with their article pages; returns its absolute URL. */
function buildDecoyList(plan: PortalPlan, host: SiteHost, folder: string, name: string, titles: string[], random: Random): string {
  const address: ColumnAddress = {
    path: folder, aliases: [`${folder}index.html`], pager: 'next-link', columnId: 0,
    pagePath: () => folder,
    reportPath: (item) => `${folder}${item.publishedAt.replaceAll('-', '').slice(0, 6)}/t${item.publishedAt.replaceAll('-', '')}_${item.id}.html`,
  };
  const column: RenderedColumn = { siteName: plan.siteName, name, address, items: [], perPage: titles.length, subColumns: [], truncatedAnchors: false };
  titles.forEach((title, index) => {
    const publishedAt = `${2024 - (index % 2)}-${String(integerBetween(random, 1, 12)).padStart(2, '0')}-${String(integerBetween(random, 1, 28)).padStart(2, '0')}`;
    const href = address.reportPath({ id: 200000 + allocateId(host), publishedAt, year: 2024 });
    addRoute(host, [href], () => html(renderArticlePage(plan.siteName, title, publishedAt, { text: name, href: folder })));
    column.items.push({ title, href, publishedAt });
  });
  addRoute(host, [folder, ...address.aliases], () => html(renderListPage(column, 0)));
  return host.origin + folder;
}

/** 通知公告 (news mentioning the report), 政府工作报告 and 政府网站工作年度报表 lists. */
function buildDecoys(plan: PortalPlan, hosts: PortalHosts, manifest: PortalManifest): ListLinks {
  if (!plan.decoys) return { news: [], hub: [], open: [] };
  const random = seededRandom(plan.idSeed ^ 0x5bd1e995);
  const newsTitles = [...decoyNewsTitles(plan.region.name, plan.siteName, 2024), ...decoyNewsTitles(plan.region.name, plan.siteName, 2023)];
  const news = buildDecoyList(plan, hosts.content, '/xwzx/tzgg/', '通知公告', newsTitles, random);
  const workReports = buildDecoyList(plan, hosts.content, '/zwgk/zfgzbg/', '政府工作报告', workReportTitles(plan.region.name, [2023, 2022, 2021]), random);
  const websiteReports = buildDecoyList(plan, hosts.hub, `${hosts.hubBase}zfwzndbb/`, '政府网站工作年度报表', websiteReportTitles(plan.siteName, [2023, 2022, 2021]), random);
  manifest.decoyColumns.push(news, workReports, websiteReports);
  return {
    news: [{ text: '通知公告', href: '/xwzx/tzgg/' }],
    hub: [{ text: '政府网站工作年度报表', href: new URL(websiteReports).pathname }],
    open: [{ text: '政府工作报告', href: '/zwgk/zfgzbg/' }, { text: `${plan.region.name}2024年政务公开工作要点`, href: '/xwzx/tzgg/' }],
  };
}

interface ListLinks {
  news: Link[];
  hub: Link[];
  open: Link[];
}

const absolute = (from: SiteHost, to: SiteHost, path: string) => (from === to ? path : to.origin + path);

/** Home page, 政务公开 page, and the 政府信息公开 hub with its guide pages. */
function buildNavigation(plan: PortalPlan, hosts: PortalHosts, main: RenderedColumn, decoyLinks: ListLinks, registry: BuildRegistry): void {
  const { content, hub, hubBase } = hosts;
  const columnHref = absolute(content, hosts.columns, main.address.path);
  const hubHref = absolute(content, hub, hubBase);
  const toColumn: Link = { text: main.name, href: hub === hosts.columns ? main.address.path : hosts.columns.origin + main.address.path };
  const guides = ['政府信息公开指南', '政府信息公开制度', '法定主动公开内容'].map((text, index) => ({ text, href: `${hubBase}${['xxgkzn', 'xxgkzd', 'fdzdgknr'][index]}/` }));
  for (const guide of guides) addRoute(hub, [guide.href, `${guide.href}index.html`], () => html(pageShell(plan.siteName, guide.text, [{ text: '首页', href: '/' }], `<h1>${guide.text}</h1><p>本页内容正在更新。</p>`)));
  addRoute(hub, hubBase === '/' ? ['/', '/index.html'] : [hubBase, `${hubBase}index.html`], () => {
    const counties = registry.hostedCounties.get(plan.sourceId) ?? [];
    const links = [...guides, ...(plan.navigation === 'path-guess' ? [] : [toColumn]), ...decoyLinks.hub, ...(counties.length > 0 ? [{ text: '县区政府信息公开年报', href: '/zwgk/xqnb/' }] : [])];
    return html(pageShell(plan.siteName, plan.hubText, [{ text: '首页', href: '/' }], linkBlock(plan.hubText, links)));
  });
  const openLinks = [{ text: plan.hubText, href: hubHref }, ...decoyLinks.open];
  addRoute(content, ['/zwgk/', '/zwgk/index.html'], () => html(pageShell(plan.siteName, '政务公开', [{ text: '首页', href: '/' }], linkBlock('政务公开', openLinks))));
  const nav: Link[] = [{ text: '首页', href: '/' }, { text: '政务公开', href: '/zwgk/' }, ...decoyLinks.news, { text: '政务服务', href: '#' }];
  if (plan.navigation === 'xxgk-host') nav.push({ text: '信息公开', href: hubHref });
  const quick = plan.navigation === 'parent-portal' ? linkBlock('快速通道', [{ text: '政府信息公开年报', href: columnHref }]) : '';
  const navHtml = plan.navigation === 'script-nav' ? scriptNavigation(nav) : linkBlock('导航', nav, 'nav');
  addRoute(content, ['/', '/index.html'], () => html(pageShell(plan.siteName, '首页', [], navHtml + quick)));
  if (hub !== content) addRoute(content, ['/zwgk/zfxxgk/'], () => ({ status: 302, location: hubHref }));
}

/** A prefecture's index of the county columns it hosts (another body's columns: not the prefecture's own). */
function registerHostedCounty(plan: PortalPlan, hosts: PortalHosts, main: RenderedColumn, registry: BuildRegistry): void {
  const parentId = plan.parentSourceId!;
  const counties = registry.hostedCounties.get(parentId) ?? [];
  if (counties.length === 0) {
    addRoute(hosts.columns, ['/zwgk/xqnb/', '/zwgk/xqnb/index.html'], () =>
      html(pageShell(registry.siteNames.get(parentId) ?? '', '县区政府信息公开年报', [{ text: '首页', href: '/' }], linkBlock('县区政府信息公开年报', counties))));
  }
  counties.push({ text: main.name, href: main.address.path });
  registry.hostedCounties.set(parentId, counties);
}

function traitsOf(plan: PortalPlan): string[] {
  const traits: [string, boolean][] = [['gbk', plan.charset === 'gbk'], ['soft-404', plan.softNotFound], ['truncated-anchors', plan.truncatedAnchors], ['sub-column-index', plan.subColumnIndex]];
  return traits.filter(([, present]) => present).map(([trait]) => trait);
}

function challengeGuard(status: 412 | 521): SiteHost['guard'] {
  const { name, value } = CHALLENGE_COOKIES[status];
  return (request) => {
    const passed = (request.headers.cookie ?? '').split(';').some((pair) => pair.trim() === `${name}=${value}`);
    return passed ? null : { status, contentType: 'text/html; charset=utf-8', body: renderChallengePage(status) };
  };
}

/** Builds a planned portal on its hosts (a county hosted by its parent: after the parent) and returns its manifest. */
export function buildPortal(plan: PortalPlan, hostsByKey: HostsByKey, registry: BuildRegistry): PortalManifest {
  const manifest: PortalManifest = { sourceId: plan.sourceId, platform: plan.platform, status: plan.status, navigation: plan.navigation, columns: [], reports: [], decoyColumns: [], movedTo: null, traits: traitsOf(plan) };
  if (plan.status === 'dead') return manifest;
  const home = hostsByKey.get(plan.sourceId)!;
  const content = plan.status === 'moved' ? hostsByKey.get(`${plan.sourceId}/new`)! : home;
  if (plan.status === 'moved') {
    home.guard = (_request, url) => ({ status: 301, location: content.origin + url.pathname + url.search });
    manifest.movedTo = `${content.origin}/`;
  }
  const xxgk = hostsByKey.get(`${plan.sourceId}/xxgk`);
  const columns = plan.navigation === 'parent-portal' ? registry.contentHosts.get(plan.parentSourceId!)! : xxgk ?? content;
  const hosts: PortalHosts = { content, columns, hub: xxgk ?? content, hubBase: xxgk ? '/' : '/zwgk/zfxxgk/' };
  for (const host of [home, content, ...(xxgk ? [xxgk] : [])]) Object.assign(host, { charset: plan.charset, softNotFound: plan.softNotFound });
  registry.contentHosts.set(plan.sourceId, content);
  registry.siteNames.set(plan.sourceId, plan.siteName);
  const main = buildColumns(plan, hosts, registry, manifest);
  buildNavigation(plan, hosts, main, buildDecoys(plan, hosts, manifest), registry);
  if (plan.navigation === 'parent-portal') registerHostedCounty(plan, hosts, main, registry);
  if (plan.challengeStatus) for (const host of new Set([content, hosts.hub])) host.guard = challengeGuard(plan.challengeStatus);
  return manifest;
}
