/**
 * Builds one planned portal onto its hosts: the 年报 column and its department and township sub-columns with their
 * reports, the navigation that leads there (or does not), the look-alike columns, the redirect of a moved portal
 * and the challenge of a browser-only one; returns what was planted, as the portal's manifest.
 */
import type { ColumnScope, Platform } from '../../crawlers/catalog-types.ts';
import { html, type Reply } from '../http-util.ts';
import { addressColumn, type ColumnAddress } from './column-address.ts';
import {
  integerBetween,
  seededRandom,
  type BodyPlan,
  type ManifestStatus,
  type Navigation,
  type PortalPlan,
  type Random,
} from './plan-portals.ts';
import {
  CHALLENGE_COOKIES,
  linkBlock,
  pageCountOf,
  pageShell,
  renderArticlePage,
  renderChallengePage,
  renderDataproxy,
  renderHanwebColumnPage,
  renderListPage,
  renderReportPage,
  scriptNavigation,
  type Link,
  type RenderedColumn,
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
  /** Difficulties beyond platform and navigation: gbk, soft-404, truncated-anchors, sub-column-index, year-folders. */
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
    if (columns.size === 0)
      addRoute(host, ['/module/web/jpage/dataproxy.jsp'], (_request, url, body) => answerDataproxy(columns, url, body));
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
  if (!column)
    return {
      status: 200,
      contentType: 'text/xml; charset=utf-8',
      body: '<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord></datastore>',
    };
  const perPage = Number(field('perpage') ?? column.perPage);
  const page = Number(field('page') ?? 1);
  const start = Number(field('startrecord') ?? (page - 1) * perPage + 1);
  const end = Number(field('endrecord') ?? start + perPage - 1);
  return { status: 200, contentType: 'text/xml; charset=utf-8', body: renderDataproxy(column, start, end) };
}

/** One body's column: its reports (served), its list pages (served) and its manifest rows. */
function buildColumn(
  plan: PortalPlan,
  body: BodyPlan,
  address: ColumnAddress,
  host: SiteHost,
  random: Random,
  manifest: PortalManifest,
  registry: BuildRegistry,
): RenderedColumn {
  // On its parent's portal a county's column is named after the county, among its sibling counties' columns.
  const governmentName =
    plan.navigation === 'parent-portal' ? `${plan.region.name}政府信息公开年报` : COLUMN_NAMES[body.titleVariant % COLUMN_NAMES.length]!;
  const name = body.scope === 'government' ? governmentName : `${body.name}政府信息公开年报`;
  const column: RenderedColumn = {
    siteName: plan.siteName,
    name,
    address,
    items: [],
    perPage: PER_PAGE,
    subColumns: [],
    truncatedAnchors: plan.truncatedAnchors,
  };
  const columnUrl = host.origin + address.path;
  const yearFolders = body.scope === 'government' && plan.yearFolders;
  const yearTabs: Link[] = [];
  for (const year of body.years) {
    // With year folders (2023n/ …) each report sits in its year's list; the column page shows only the year tabs.
    const list = yearFolders ? yearColumn(plan, column, year, host) : column;
    if (list !== column) yearTabs.push({ text: `${year}年`, href: list.address.path });
    const listLink = { text: list.name, href: list.address.path };
    const report = {
      id: 100000 + allocateId(host),
      year,
      publishedAt: publicationDate(random, year, body.scope),
      title: reportTitle(body.issuer, year, body.titleVariant),
      issuer: body.issuer,
      href: '',
    };
    report.href = list.address.reportPath(report);
    addRoute(host, [report.href], () => html(renderReportPage(plan.siteName, report, listLink)));
    list.items.push({ title: report.title, href: report.href, publishedAt: report.publishedAt });
    manifest.reports.push({ url: host.origin + report.href, title: report.title, columnUrl });
    if (list !== column) serveColumn(host, list, registry);
  }
  if (yearTabs.length > 0) column.subColumns.push({ heading: '年度', links: yearTabs });
  manifest.columns.push({ url: columnUrl, scope: body.scope, ...(body.scope === 'government' ? {} : { body: body.name }) });
  return column;
}

/** A year folder of a column (`<column>/2023n/`): a page of the column, not a column of its own. */
function yearColumn(plan: PortalPlan, column: RenderedColumn, year: number, host: SiteHost): RenderedColumn {
  const address = addressColumn(plan.platform, host, `${column.address.path}${year}n/`);
  return { ...column, name: `${year}年${column.name}`, address, items: [], subColumns: [] };
}

type SubScope = Exclude<ColumnScope, 'government'>;
const SUB_SCOPES: readonly SubScope[] = ['department', 'township'];
const SUB_FOLDERS: Record<SubScope, string> = { department: 'bm', township: 'xz' };
const SUB_HEADINGS: Record<SubScope, string> = { department: '部门政府信息公开年报', township: '乡镇（街道）政府信息公开年报' };

/** The government column with its sub-columns linked from its first page (or from 部门 / 乡镇 index pages). */
function buildColumns(plan: PortalPlan, hosts: PortalHosts, registry: BuildRegistry, manifest: PortalManifest): RenderedColumn {
  const random = seededRandom(plan.idSeed);
  const folder = governmentFolder(plan);
  const [government, ...others] = plan.bodies;
  const main = buildColumn(
    plan,
    government!,
    addressColumn(plan.platform, hosts.columns, folder),
    hosts.columns,
    random,
    manifest,
    registry,
  );
  const links: Record<SubScope, Link[]> = { department: [], township: [] };
  for (const body of others) {
    const scope = body.scope as SubScope;
    const address = addressColumn(plan.platform, hosts.columns, `${folder}${SUB_FOLDERS[scope]}/${body.slug}/`);
    const column = buildColumn(plan, body, address, hosts.columns, random, manifest, registry);
    serveColumn(hosts.columns, column, registry);
    const fullName = `${body.name}政府信息公开年报`;
    links[scope].push(
      body.nameOnlyLink ? { text: body.name, href: address.path, title: fullName } : { text: fullName, href: address.path },
    );
  }
  const scopes = SUB_SCOPES.filter((scope) => links[scope].length > 0);
  if (!plan.subColumnIndex) main.subColumns.push(...scopes.map((scope) => ({ heading: SUB_HEADINGS[scope], links: links[scope] })));
  else {
    const indexes = scopes.map((scope) =>
      serveSubColumnIndex(plan, hosts.columns, `${folder}${SUB_FOLDERS[scope]}/`, SUB_HEADINGS[scope], links[scope]),
    );
    main.subColumns.push({ heading: '分类年报', links: indexes });
  }
  serveColumn(hosts.columns, main, registry);
  return main;
}

/** An index page listing sub-columns by the bodies' bare names; returns the link to it. */
function serveSubColumnIndex(plan: PortalPlan, host: SiteHost, path: string, heading: string, links: Link[]): Link {
  const bare = links.map((link) => ({ text: link.title ? link.text : link.text.replace(/政府信息公开年报$/, ''), href: link.href }));
  addRoute(host, [path, `${path}index.html`], () =>
    html(pageShell(plan.siteName, heading, [{ text: '首页', href: '/' }], linkBlock(heading, bare))),
  );
  return { text: heading, href: path };
}

/** A plain list of look-alike items with their article pages; returns its absolute URL. */
function buildDecoyList(plan: PortalPlan, host: SiteHost, folder: string, name: string, titles: string[], random: Random): string {
  const address: ColumnAddress = {
    path: folder,
    aliases: [`${folder}index.html`],
    pager: 'next-link',
    columnId: 0,
    pagePath: () => folder,
    reportPath: (item) =>
      `${folder}${item.publishedAt.replaceAll('-', '').slice(0, 6)}/t${item.publishedAt.replaceAll('-', '')}_${item.id}.html`,
  };
  const column: RenderedColumn = {
    siteName: plan.siteName,
    name,
    address,
    items: [],
    perPage: titles.length,
    subColumns: [],
    truncatedAnchors: false,
  };
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
  const workReports = buildDecoyList(
    plan,
    hosts.content,
    '/zwgk/zfgzbg/',
    '政府工作报告',
    workReportTitles(plan.region.name, [2023, 2022, 2021]),
    random,
  );
  const websiteReports = buildDecoyList(
    plan,
    hosts.hub,
    `${hosts.hubBase}zfwzndbb/`,
    '政府网站工作年度报表',
    websiteReportTitles(plan.siteName, [2023, 2022, 2021]),
    random,
  );
  manifest.decoyColumns.push(news, workReports, websiteReports);
  return {
    news: [{ text: '通知公告', href: '/xwzx/tzgg/' }],
    hub: [{ text: '政府网站工作年度报表', href: new URL(websiteReports).pathname }],
    open: [
      { text: '政府工作报告', href: '/zwgk/zfgzbg/' },
      { text: `${plan.region.name}2024年政务公开工作要点`, href: '/xwzx/tzgg/' },
    ],
  };
}

interface ListLinks {
  news: Link[];
  hub: Link[];
  open: Link[];
}

const absolute = (from: SiteHost, to: SiteHost, path: string) => (from === to ? path : to.origin + path);

/** The hub's neighbours of the 年报 column, with their folder names. */
const GUIDE_PAGES = [
  ['政府信息公开指南', 'xxgkzn'],
  ['政府信息公开制度', 'xxgkzd'],
  ['法定主动公开内容', 'fdzdgknr'],
] as const;

/** The 政府信息公开 hub with its guide pages: links the column (not on path-guess portals) and a parent's hosted counties. */
function buildHub(plan: PortalPlan, hosts: PortalHosts, main: RenderedColumn, decoyLinks: ListLinks, registry: BuildRegistry): void {
  const { hub, hubBase } = hosts;
  const guides = GUIDE_PAGES.map(([text, folder]) => ({ text, href: `${hubBase}${folder}/` }));
  for (const guide of guides) {
    addRoute(hub, [guide.href, `${guide.href}index.html`], () =>
      html(pageShell(plan.siteName, guide.text, [{ text: '首页', href: '/' }], `<h1>${guide.text}</h1><p>本页内容正在更新。</p>`)),
    );
  }
  const toColumn = plan.navigation === 'path-guess' ? [] : [{ text: main.name, href: absolute(hub, hosts.columns, main.address.path) }];
  addRoute(hub, [hubBase, `${hubBase}index.html`], () => {
    // Rendered on request: the counties a prefecture hosts are built after it.
    const hostsCounties = (registry.hostedCounties.get(plan.sourceId) ?? []).length > 0;
    const links = [
      ...guides,
      ...toColumn,
      ...decoyLinks.hub,
      ...(hostsCounties ? [{ text: '县区政府信息公开年报', href: '/zwgk/xqnb/' }] : []),
    ];
    return html(pageShell(plan.siteName, plan.hubText, [{ text: '首页', href: '/' }], linkBlock(plan.hubText, links)));
  });
}

/** The home page (anchors, or a script-written menu) and the 政务公开 page leading to the hub. */
function buildHome(plan: PortalPlan, hosts: PortalHosts, main: RenderedColumn, decoyLinks: ListLinks): void {
  const { content } = hosts;
  const hubHref = absolute(content, hosts.hub, hosts.hubBase);
  const openLinks = [{ text: plan.hubText, href: hubHref }, ...decoyLinks.open];
  addRoute(content, ['/zwgk/', '/zwgk/index.html'], () =>
    html(pageShell(plan.siteName, '政务公开', [{ text: '首页', href: '/' }], linkBlock('政务公开', openLinks))),
  );
  if (hosts.hub !== content) addRoute(content, ['/zwgk/zfxxgk/'], () => ({ status: 302, location: hubHref }));
  const nav: Link[] = [
    { text: '首页', href: '/' },
    { text: '政务公开', href: '/zwgk/' },
    ...decoyLinks.news,
    { text: '政务服务', href: '#' },
  ];
  if (plan.navigation === 'xxgk-host') nav.push({ text: '信息公开', href: hubHref });
  const navHtml = plan.navigation === 'script-nav' ? scriptNavigation(nav) : linkBlock('导航', nav, 'nav');
  const quickLinks =
    plan.navigation === 'parent-portal'
      ? linkBlock('快速通道', [{ text: '政府信息公开年报', href: absolute(content, hosts.columns, main.address.path) }])
      : '';
  addRoute(content, ['/', '/index.html'], () => html(pageShell(plan.siteName, '首页', [], navHtml + quickLinks)));
}

/** A prefecture's index of the county columns it hosts (another body's columns: not the prefecture's own). */
function registerHostedCounty(plan: PortalPlan, hosts: PortalHosts, main: RenderedColumn, registry: BuildRegistry): void {
  const parentId = plan.parentSourceId!;
  const counties = registry.hostedCounties.get(parentId) ?? [];
  if (counties.length === 0) {
    addRoute(hosts.columns, ['/zwgk/xqnb/', '/zwgk/xqnb/index.html'], () =>
      html(
        pageShell(
          registry.siteNames.get(parentId) ?? '',
          '县区政府信息公开年报',
          [{ text: '首页', href: '/' }],
          linkBlock('县区政府信息公开年报', counties),
        ),
      ),
    );
  }
  counties.push({ text: main.name, href: main.address.path });
  registry.hostedCounties.set(parentId, counties);
}

function traitsOf(plan: PortalPlan): string[] {
  const traits: [string, boolean][] = [
    ['gbk', plan.charset === 'gbk'],
    ['soft-404', plan.softNotFound],
    ['truncated-anchors', plan.truncatedAnchors],
    ['sub-column-index', plan.subColumnIndex],
    ['year-folders', plan.yearFolders],
  ];
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
  const manifest: PortalManifest = {
    sourceId: plan.sourceId,
    platform: plan.platform,
    status: plan.status,
    navigation: plan.navigation,
    columns: [],
    reports: [],
    decoyColumns: [],
    movedTo: null,
    traits: traitsOf(plan),
  };
  if (plan.status === 'dead') return manifest;
  const home = hostsByKey.get(plan.sourceId)!;
  const content = plan.status === 'moved' ? hostsByKey.get(`${plan.sourceId}/new`)! : home;
  if (plan.status === 'moved') {
    home.guard = (_request, url) => ({ status: 301, location: content.origin + url.pathname + url.search });
    manifest.movedTo = `${content.origin}/`;
  }
  const xxgk = hostsByKey.get(`${plan.sourceId}/xxgk`);
  const columns = plan.navigation === 'parent-portal' ? registry.contentHosts.get(plan.parentSourceId!)! : (xxgk ?? content);
  const hosts: PortalHosts = { content, columns, hub: xxgk ?? content, hubBase: xxgk ? '/' : '/zwgk/zfxxgk/' };
  for (const host of [home, content, ...(xxgk ? [xxgk] : [])])
    Object.assign(host, { charset: plan.charset, softNotFound: plan.softNotFound });
  registry.contentHosts.set(plan.sourceId, content);
  registry.siteNames.set(plan.sourceId, plan.siteName);
  const main = buildColumns(plan, hosts, registry, manifest);
  const decoyLinks = buildDecoys(plan, hosts, manifest);
  buildHub(plan, hosts, main, decoyLinks, registry);
  buildHome(plan, hosts, main, decoyLinks);
  if (plan.navigation === 'parent-portal') registerHostedCounty(plan, hosts, main, registry);
  if (plan.challengeStatus) for (const host of new Set([content, hosts.hub])) host.guard = challengeGuard(plan.challengeStatus);
  return manifest;
}
