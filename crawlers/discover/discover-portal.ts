/**
 * Discovery of one portal: from its home page to its 政府信息公开年报 column(s). Links first (the 年报 link itself,
 * or 政务公开 → 政府信息公开 → 年报, or a report whose address names its column), then well-known paths, then the
 * 信息公开 sub-domain and the parent government's portal. A column counts only once fetched and seen listing reports
 * of this government; its department and township sub-columns are found inside it, or one hop further through the
 * 部门 / 乡镇 index pages it links (sub-column-index.ts). Never throws: a portal that cannot be read becomes dead,
 * moved, browser-only or no-column with a sentence saying why. A portal whose home page redirects to another host
 * that names this government is discovered there and stays 'moved' (movedTo set), with the columns found there; a
 * redirect to a site that does not name it ends discovery as 'moved' without columns.
 */
import type { CatalogEntry, ColumnScope, DiscoveryMethod, Platform, PortalDiscovery, ReportColumn } from '../catalog-types.ts';
import { detectChallenge } from '../../shared/anti-bot.ts';
import { columnEvidence, describeReports, isOurColumn, type ColumnEvidence } from './column-evidence.ts';
import { networkPolicyOf } from '../network-policy.ts';
import { fetchPage, PageUnreachableError, type FetchedPage } from './fetch-page.ts';
import { classifyLink, reportScope, subColumnRole } from './link-roles.ts';
import { pathGuesses } from './path-guesses.ts';
import { platformOfUrl, recognizePlatform } from './platform.ts';
import { readPage, type ReadPage } from './read-page.ts';
import { canonicalColumnUrl, columnFromReportUrl, isSingleArticleUrl } from './report-url.ts';
import { IndexSiblings, isSubColumnIndex, listsReportsOf } from './sub-column-index.ts';
import { HostScheduler } from '../host-scheduler.ts';
import { DEFAULT_DELAY_MS, DEFAULT_MAX_PAGES, DEFAULT_MAX_SUB_COLUMN_CHECK_PAGES, type DiscoverOptions } from './discover-options.ts';
import {
  ancestorNames,
  disclosureHostGuesses,
  governmentNameForms,
  isOwnSiteHost,
  namesAnotherGovernment,
  namesGovernment,
} from './site-identity.ts';

/** Hops from a home page to its 年报 column through hubs: 首页 → 政务公开 → 政府信息公开 → 年报. */
const MAX_HUB_DEPTH = 3;
/** Most well-known paths tried on one portal: the likeliest ones (path-guesses.ts), not a scan of the site. */
const MAX_PATH_GUESSES = 16;
/** Pages kept back from path guesses for the parent portal: its home, hub, column and a sub-column or two. */
const PARENT_PORTAL_PAGES = 8;

/**
 * How far a page's site is ours: `own` (the portal's hosts, or a site that names this government), `named-only`
 * (a parent's or other site, where only columns and reports naming this government are taken), `unknown` (a site
 * the home page links to for 信息公开, judged when fetched).
 */
type Trust = 'own' | 'named-only' | 'unknown';

interface Candidate {
  url: string;
  kind: 'column' | 'sub-column' | 'hub';
  score: number;
  depth: number;
  trust: Trust;
  method: DiscoveryMethod;
  /** How it was found, for the evidence sentence. */
  via: string;
  scope: ColumnScope;
  body?: string;
  /** For a sub-column: the column whose page links it. */
  inColumn?: string;
  /** For a sub-column listed by a sub-column index (部门 / 乡镇 page): that index's address. */
  fromIndex?: string;
  /**
   * Taken only once its page lists its body's reports: a sub-column an index lists by bare name, or the 年报 link on
   * a body's page that is no column itself (乡镇 index → 城关镇's 信息公开 page → its 政府信息公开年报).
   */
  checkBody?: boolean;
}

/** A page read during discovery (its body is not kept). */
interface VisitedPage {
  page: ReadPage;
  finalUrl: string;
}

const KIND_ORDER: Record<Candidate['kind'], number> = { column: 0, 'sub-column': 1, hub: 2 };

class PortalRun {
  readonly #entry: CatalogEntry;
  /** The province and prefecture above this government, whose names hold its short form (邵阳市 holds 邵阳 of 邵阳县). */
  readonly #ancestors: string[];
  readonly #options: DiscoverOptions;
  readonly #scheduler: HostScheduler;
  readonly #maxPages: number;
  readonly #maxSubColumnCheckPages: number;
  readonly #frontier: Candidate[] = [];
  readonly #visited = new Set<string>();
  readonly #columns = new Map<string, ReportColumn>();
  readonly #trustedHosts = new Set<string>();
  /** Sub-column index pages met, with what their siblings turned out to be. */
  readonly #indexes = new IndexSiblings();
  #siteHost: string;
  #parentHost: string | null;
  #pagesFetched = 0;
  #challenges = 0;
  #guessesTried = 0;

  constructor(entry: CatalogEntry, options: DiscoverOptions) {
    this.#entry = entry;
    this.#ancestors = ancestorNames(entry.path, entry.name);
    this.#options = options;
    this.#scheduler = options.scheduler ?? new HostScheduler({ maxInFlight: 1 });
    this.#maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.#maxSubColumnCheckPages = options.maxSubColumnCheckPages ?? DEFAULT_MAX_SUB_COLUMN_CHECK_PAGES;
    this.#siteHost = new URL(entry.portalUrl).host;
    this.#parentHost = options.parentPortalUrl ? new URL(options.parentPortalUrl).host : null;
  }

  async discover(): Promise<PortalDiscovery> {
    let home: FetchedPage;
    try {
      home = await this.#fetchHome();
    } catch (error) {
      // In the words the crawl's failure reasons use (errors.ts describeNetworkFailure).
      const reason = error instanceof PageUnreachableError ? error.reason : String(error);
      return this.#result('dead', `home page unreachable: ${reason}`);
    }
    this.#visited.add(canonicalColumnUrl(this.#entry.portalUrl)).add(canonicalColumnUrl(home.finalUrl));
    const challenge = detectChallenge(home.status, home.html);
    if (challenge) return this.#result('browser-only', `home page answered an anti-bot challenge: ${challenge}`);
    if (home.status >= 400) return this.#result('dead', `home page answered HTTP ${home.status}`);
    const finalHost = new URL(home.finalUrl).host;
    const homePage = readPage(home.html, home.finalUrl);
    const moved = !isOwnSiteHost(finalHost, this.#siteHost) ? home.finalUrl : null;
    // A portal that moved is followed to its new host when the new home page names this government (the catalog's
    // address is stale, the portal alive); anything else there (a parking page, another body's site) ends discovery.
    if (moved && !this.#namesUs(homePage)) {
      return this.#result('moved', `home page redirects off its host to ${moved}, a site that does not name ${this.#entry.name}`, moved);
    }
    this.#siteHost = finalHost;
    const homePlatform = recognizePlatform(
      home.html,
      homePage.links.map((link) => link.url.href),
    );
    this.#scan(homePage, home.finalUrl, 0, 'own');
    await this.#explore();
    if (!this.#hasGovernmentColumn()) await this.#tryPathGuesses(new URL(home.finalUrl).origin, home.finalUrl);
    if (!this.#hasGovernmentColumn()) await this.#tryDisclosureHosts(new URL(home.finalUrl).protocol);
    if (!this.#hasGovernmentColumn() && this.#options.parentPortalUrl) await this.#tryParentPortal(this.#options.parentPortalUrl);
    return this.#conclude(homePlatform, moved);
  }

  // ---- fetching ----

  /** The home page; an https address that gets no answer is tried once over http (many portals serve http only). */
  async #fetchHome(): Promise<FetchedPage> {
    const url = new URL(this.#entry.portalUrl);
    try {
      return await this.#fetch(url.href);
    } catch (error) {
      const unknownHost = error instanceof PageUnreachableError && error.code === 'DNS_FAILURE';
      if (url.protocol !== 'https:' || unknownHost) throw error;
      url.protocol = 'http:';
      return this.#fetch(url.href);
    }
  }

  async #fetch(url: string): Promise<FetchedPage> {
    this.#pagesFetched++;
    return this.#scheduler.run(url, { concurrency: 1, delayMs: this.#options.delayMs ?? DEFAULT_DELAY_MS }, () =>
      fetchPage(url, {
        userAgent: this.#options.userAgent,
        timeoutMs: this.#options.requestTimeoutSecs * 1000,
        ...networkPolicyOf(this.#options),
        ...(this.#options.maxBodyBytes ? { maxBodyBytes: this.#options.maxBodyBytes } : {}),
      }),
    );
  }

  /**
   * Whether a page may still be fetched. A sub-column listed by a 部门 / 乡镇 index by bare name has an allowance of
   * its own beyond maxPages: its link says too little to be taken unseen, while a sub-column named by its 年报 words
   * inside its column's folder can be (acceptUnfetchedSubColumn).
   */
  #budgetLeft(candidate?: Candidate): boolean {
    const allowance = candidate?.checkBody ? this.#maxSubColumnCheckPages : 0;
    return this.#pagesFetched < this.#maxPages + allowance;
  }

  /** Fetches and reads a page once per portal run; null for failures, challenges, error statuses and soft 404s. */
  async #visit(url: string, candidate?: Candidate): Promise<VisitedPage | null> {
    const key = canonicalColumnUrl(url);
    if (this.#visited.has(key) || !this.#budgetLeft(candidate)) return null;
    this.#visited.add(key);
    let fetched: FetchedPage;
    try {
      fetched = await this.#fetch(url);
    } catch {
      return null;
    }
    if (detectChallenge(fetched.status, fetched.html)) {
      this.#challenges++;
      return null;
    }
    if (fetched.status !== 200) return null;
    this.#visited.add(canonicalColumnUrl(fetched.finalUrl));
    const page = readPage(fetched.html, fetched.finalUrl);
    return page.softNotFound ? null : { page, finalUrl: fetched.finalUrl };
  }

  // ---- whose pages ----

  /** Whether a text names this government (not merely its province or prefecture: site-identity namesGovernment). */
  #names(text: string): boolean {
    return namesGovernment(text, this.#entry.name, this.#ancestors);
  }

  #namesUs(page: ReadPage): boolean {
    return [page.siteName ?? '', ...page.ownNames].some((name) => this.#names(name));
  }

  #hostTrust(host: string): Trust {
    if (host === this.#siteHost || this.#trustedHosts.has(host)) return 'own';
    if (isOwnSiteHost(host, this.#siteHost)) return 'own';
    return 'unknown';
  }

  /** The trust a fetched page earns: own hosts unless they name another government; other sites only by naming us. */
  #judge(candidateTrust: Trust, host: string, page: ReadPage): Trust {
    const name = this.#entry.name;
    if (candidateTrust === 'own' || this.#hostTrust(host) === 'own') {
      return host !== this.#siteHost && namesAnotherGovernment(page.siteName, name, this.#ancestors) ? 'named-only' : 'own';
    }
    if (page.siteName && this.#names(page.siteName)) {
      this.#trustedHosts.add(host);
      return 'own';
    }
    return 'named-only';
  }

  // ---- reading links ----

  #push(candidate: Candidate): void {
    const key = canonicalColumnUrl(candidate.url);
    if (this.#visited.has(key) || this.#columns.has(key)) return;
    const known = this.#frontier.find((queued) => canonicalColumnUrl(queued.url) === key);
    if (known && (KIND_ORDER[known.kind] < KIND_ORDER[candidate.kind] || known.score >= candidate.score)) return;
    if (known) this.#frontier.splice(this.#frontier.indexOf(known), 1);
    this.#frontier.push(candidate);
  }

  #method(url: URL, trust: Trust, depth: number): DiscoveryMethod {
    if (this.#parentHost && isOwnSiteHost(url.host, this.#parentHost)) return 'parent-portal';
    if (trust !== 'own') return 'parent-portal';
    if (url.host !== this.#siteHost) return 'xxgk-subdomain';
    return depth === 0 ? 'link-text' : 'platform-page';
  }

  /**
   * Queues the columns, hubs and report-derived columns a page links to, as far as the page's trust allows. On a
   * body's page (`within`, a sub-column's candidate), a 年报 link that names no body is that body's column.
   */
  #scan(page: ReadPage, pageUrl: string, depth: number, trust: Trust, within?: Candidate): void {
    const name = this.#entry.name;
    for (const { url, label } of page.links) {
      const linkTrust: Trust = trust === 'named-only' ? 'named-only' : this.#hostTrust(url.host);
      // Other sites are followed only where the home page (or a site already shown to be ours) sends us for 信息公开.
      if (linkTrust === 'unknown' && !(depth === 0 || this.#trustedHosts.has(new URL(pageUrl).host))) continue;
      const role = classifyLink(label, url);
      // Another site the home page links to is tried after the portal's own pages: often a neighbour's, rarely ours.
      const penalty = linkTrust === 'unknown' ? 30 : 0;
      const base = { depth: depth + 1, trust: linkTrust, method: this.#method(url, linkTrust, depth) };
      const namesUs = this.#names(label);
      if (role.role === 'column') {
        const anothers = role.scope === 'government' && role.body !== undefined && !this.#names(role.body);
        if (trust === 'named-only' && !namesUs) {
          if (depth < MAX_HUB_DEPTH)
            this.#push({
              ...base,
              url: url.href,
              kind: 'hub',
              score: role.score,
              via: `link 「${label}」 on ${pageUrl}`,
              scope: 'government',
            });
        } else if (within?.body && role.scope === 'government' && role.body === undefined) {
          const via = `link 「${label}」 on ${pageUrl}, the page of ${within.body}`;
          this.#push({
            ...base,
            url: url.href,
            kind: 'sub-column',
            score: role.score,
            via,
            scope: within.scope,
            body: within.body,
            inColumn: canonicalColumnUrl(pageUrl),
            checkBody: true,
          });
        } else if (!anothers) {
          const body = role.scope === 'government' ? undefined : role.body;
          this.#push({
            ...base,
            url: url.href,
            kind: 'column',
            score: role.score - penalty,
            via: `link 「${label}」 on ${pageUrl}`,
            scope: role.scope,
            ...(body ? { body } : {}),
          });
        }
      } else if (role.role === 'hub' || (role.role === 'other-governments-column' && trust === 'named-only')) {
        const score = (role.role === 'hub' ? role.score : 60) - penalty;
        if (depth < MAX_HUB_DEPTH)
          this.#push({ ...base, url: url.href, kind: 'hub', score, via: `link 「${label}」 on ${pageUrl}`, scope: 'government' });
      } else if (role.role === 'report') {
        this.#pushReportColumn(url, label, pageUrl, base, trust);
      } else if (trust === 'named-only' && namesUs && !isSingleArticleUrl(url.href)) {
        this.#push({ ...base, url: url.href, kind: 'column', score: 75, via: `link 「${label}」 on ${pageUrl}`, scope: 'government' });
      }
    }
  }

  /** A report linked from a page tells its column through its address (report-columns.tsv's derivations). */
  #pushReportColumn(url: URL, title: string, pageUrl: string, base: Pick<Candidate, 'depth' | 'trust'>, trust: Trust): void {
    const namesUs = this.#names(title);
    if (trust === 'named-only' ? !namesUs : !namesUs && /[省市县区州盟旗]/.test(title.split(/(19|20)\d{2}/)[0] ?? '')) return;
    const column = columnFromReportUrl(url.href);
    if (!column || isSingleArticleUrl(column)) return;
    const { scope, body } = reportScope(title, governmentNameForms(this.#entry.name));
    const via = `report 「${title}」 (${url.href}) linked on ${pageUrl}`;
    this.#push({ ...base, url: column, kind: 'column', score: 60, method: 'report-url', via, scope, ...(body ? { body } : {}) });
  }

  #next(): Candidate | undefined {
    const skipHubs = this.#hasGovernmentColumn();
    // Siblings of an index not yet sampled go first (sub-column-index.ts IndexSiblings).
    const sampling = (candidate: Candidate) => (candidate.fromIndex && this.#indexes.needsSample(candidate.fromIndex) ? 0 : 1);
    this.#frontier.sort(
      (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || sampling(a) - sampling(b) || b.score - a.score || a.depth - b.depth,
    );
    while (this.#frontier.length > 0) {
      const candidate = this.#frontier.shift()!;
      if (!(skipHubs && candidate.kind === 'hub')) return candidate;
    }
    return undefined;
  }

  async #explore(): Promise<void> {
    for (let candidate = this.#next(); candidate; candidate = this.#next()) {
      if (!this.#budgetLeft(candidate)) {
        if (candidate.kind === 'sub-column') this.#acceptUnfetchedSubColumn(candidate);
        continue;
      }
      const seenBefore = this.#visited.has(canonicalColumnUrl(candidate.url));
      const visited = await this.#visit(candidate.url, candidate);
      if (!visited) {
        if (!seenBefore) this.#tallySibling(candidate, false); // a sibling that does not answer is no column
        continue;
      }
      const host = new URL(visited.finalUrl).host;
      const trust = this.#judge(candidate.trust, host, visited.page);
      this.#scan(
        visited.page,
        visited.finalUrl,
        candidate.depth,
        trust,
        candidate.kind === 'sub-column' && candidate.body ? candidate : undefined,
      );
      if (candidate.kind !== 'hub') await this.#considerColumn(candidate, visited, trust);
    }
  }

  // ---- columns ----

  async #considerColumn(candidate: Candidate, visited: VisitedPage, trust: Trust): Promise<boolean> {
    const strict = trust !== 'own';
    let evidence = columnEvidence(visited.page, this.#entry.name, this.#ancestors);
    let seen = describeReports(evidence);
    if (!isOurColumn(evidence, strict) && evidence.namesColumn) {
      // A column page that only holds year tabs or sub-columns: its first year sub-column shows whose it is.
      const yearEvidence = await this.#firstYearEvidence(visited.page);
      if (yearEvidence && isOurColumn({ ...yearEvidence, namesColumn: true }, strict)) {
        evidence = yearEvidence;
        seen = `its year sub-column lists ${describeReports(yearEvidence)}`;
      }
    }
    if (visited.page.annualReportApp && !strict) seen = 'a gkmlpt annual-report view';
    else if (
      !isOurColumn(evidence, strict) ||
      (candidate.checkBody && !listsReportsOf(evidence, candidate.scope, candidate.body, governmentNameForms(this.#entry.name)))
    ) {
      this.#tallySibling(candidate, false);
      // A 部门 / 乡镇 index lists the bodies' sub-columns by bare name: they are one hop further, the index no column.
      if (isSubColumnIndex(evidence, candidate)) this.#queueSubColumns(visited.page, visited.finalUrl, candidate, trust, true);
      return false;
    }
    this.#tallySibling(candidate, true);
    const url = canonicalColumnUrl(
      isOwnSiteHost(new URL(visited.finalUrl).host, new URL(candidate.url).host) ? visited.finalUrl : candidate.url,
    );
    const platform = this.#columnPlatform(visited.page, url);
    this.#columns.set(url, {
      url,
      scope: candidate.scope,
      ...(candidate.body ? { body: candidate.body } : {}),
      platform,
      method: candidate.method,
      evidence: `${candidate.via}; ${seen}`,
    });
    if (candidate.kind === 'column' || candidate.scope !== 'government')
      this.#queueSubColumns(visited.page, visited.finalUrl, candidate, trust);
    return true;
  }

  async #firstYearEvidence(page: ReadPage): Promise<ColumnEvidence | null> {
    const year = page.links.find((link) => classifyLink(link.label, link.url).role === 'year');
    if (!year) return null;
    const visited = await this.#visit(year.url.href);
    return visited ? columnEvidence(visited.page, this.#entry.name, this.#ancestors) : null;
  }

  #columnPlatform(page: ReadPage, url: string): Platform {
    if (page.platformHint) return page.platformHint;
    const reportPlatform = recognizePlatform(
      '',
      page.links.filter((link) => isSingleArticleUrl(link.url.href)).map((link) => link.url.href),
    );
    return reportPlatform !== 'other' ? reportPlatform : (platformOfUrl(url) ?? 'other');
  }

  /**
   * Links inside a column (or a sub-column index: `index`) named by a department, a township or a scope group become
   * sub-column candidates; those an index lists are taken only once their page lists the body's reports.
   */
  #queueSubColumns(page: ReadPage, pageUrl: string, parent: Candidate, trust: Trust, index = false): void {
    const pageKey = canonicalColumnUrl(pageUrl);
    if (index) this.#indexes.open(pageKey);
    for (const { url, label } of page.links) {
      if (canonicalColumnUrl(url.href) === canonicalColumnUrl(pageUrl)) continue;
      if (trust === 'own' ? this.#hostTrust(url.host) !== 'own' : url.host !== new URL(pageUrl).host) continue;
      const role = subColumnRole(label, url);
      if (!role || (parent.scope !== 'government' && parent.scope !== role.scope)) continue;
      this.#push({
        url: url.href,
        kind: 'sub-column',
        score: role.body ? 80 : 90, // scope groups first: they lead to the bodies' sub-columns
        depth: parent.depth + 1,
        trust: trust === 'own' ? 'own' : 'named-only',
        method: parent.method,
        via: `sub-column 「${label}」 in ${canonicalColumnUrl(pageUrl)}`,
        inColumn: pageKey,
        scope: role.scope,
        ...(role.body ? { body: role.body } : {}),
        ...(index ? { fromIndex: pageKey, checkBody: true } : {}),
      });
    }
  }

  /** Counts a sub-column listed by an index as verified or not a column. */
  #tallySibling(candidate: Candidate, verified: boolean): void {
    if (candidate.fromIndex) this.#indexes.record(candidate.fromIndex, candidate.url, verified);
  }

  /**
   * A sub-column left unfetched for want of budget is still taken on its link alone when the link is good evidence:
   * named by its body inside an accepted column's folder, or listed by a sub-column index whose siblings of the same
   * address shape were fetched and listed their bodies' reports (sub-column-index.ts trustsSibling).
   */
  #acceptUnfetchedSubColumn(candidate: Candidate): void {
    const parent = candidate.inColumn;
    if (!candidate.body || !parent) return;
    let why = 'not fetched (page budget spent)';
    if (candidate.fromIndex) {
      const siblings = this.#indexes.unfetchedEvidence(candidate.fromIndex, candidate.url);
      if (!siblings) return;
      why = `${siblings}; ${why}`;
    } else if (candidate.trust !== 'own' || !this.#columns.has(parent) || !parent.endsWith('/') || !candidate.url.startsWith(parent)) {
      return;
    }
    const url = canonicalColumnUrl(candidate.url);
    this.#columns.set(url, {
      url,
      scope: candidate.scope,
      body: candidate.body,
      platform: platformOfUrl(url) ?? 'other',
      method: candidate.method,
      evidence: `${candidate.via}; ${why}`,
    });
  }

  #hasGovernmentColumn(): boolean {
    return [...this.#columns.values()].some((column) => column.scope === 'government');
  }

  // ---- fallbacks ----

  async #tryPathGuesses(origin: string, homeUrl: string): Promise<void> {
    const home = canonicalColumnUrl(homeUrl);
    const reserve = this.#options.parentPortalUrl ? PARENT_PORTAL_PAGES : 0;
    for (const path of pathGuesses().slice(0, MAX_PATH_GUESSES)) {
      if (this.#hasGovernmentColumn() || this.#pagesFetched >= this.#maxPages - reserve) return;
      const url = new URL(path, origin).href;
      this.#guessesTried++;
      const visited = await this.#visit(url);
      // A guess that lands on the home page (a 301 to /) is the portal saying no.
      if (!visited || canonicalColumnUrl(visited.finalUrl) === home || new URL(visited.finalUrl).pathname === '/') continue;
      const accepted = await this.#considerColumn(
        {
          url,
          kind: 'column',
          score: 50,
          depth: 1,
          trust: 'own',
          method: 'path-guess',
          via: `path guess ${path} answered`,
          scope: 'government',
        },
        visited,
        'own',
      );
      if (accepted) await this.#explore(); // its sub-columns
    }
  }

  async #tryDisclosureHosts(protocol: string): Promise<void> {
    for (const host of disclosureHostGuesses(this.#siteHost)) {
      if (this.#hasGovernmentColumn() || !this.#budgetLeft()) return;
      this.#push({
        url: `${protocol}//${host}/`,
        kind: 'hub',
        score: 40,
        depth: 1,
        trust: 'own',
        method: 'xxgk-subdomain',
        via: `guessed 信息公开 host ${host}`,
        scope: 'government',
      });
      await this.#explore();
    }
  }

  async #tryParentPortal(parentUrl: string): Promise<void> {
    this.#push({
      url: parentUrl,
      kind: 'hub',
      score: 10,
      depth: 0,
      trust: 'named-only',
      method: 'parent-portal',
      via: `parent portal ${parentUrl}`,
      scope: 'government',
    });
    await this.#explore();
  }

  // ---- the result ----

  #conclude(homePlatform: Platform, moved: string | null): PortalDiscovery {
    const columns = [...this.#columns.values()];
    const governmentColumn = columns.find((column) => column.scope === 'government');
    // A moved portal stays 'moved' (its catalog address needs updating) and keeps the columns found at its new home.
    if (moved) {
      const found = columns.length > 0 ? `${columns.length} column(s) found there` : 'no 年报 column found there';
      return this.#result('moved', `home page moved to ${moved}; ${found}`, moved, governmentColumn?.platform ?? homePlatform);
    }
    if (governmentColumn) return this.#result('ok', null, null, governmentColumn.platform);
    const blocked = this.#challenges > 0 ? `; ${this.#challenges} inner page(s) answered an anti-bot challenge` : '';
    const found =
      columns.length > 0 ? `only ${columns.length} department/township column(s) found, no government column` : 'no 年报 column found';
    return this.#result(
      'no-column',
      `${found} after ${this.#pagesFetched} pages (${this.#guessesTried} path guesses)${blocked}`,
      null,
      homePlatform,
    );
  }

  #result(
    status: PortalDiscovery['status'],
    reason: string | null,
    movedTo: string | null = null,
    platform: Platform | null = null,
  ): PortalDiscovery {
    return {
      sourceId: this.#entry.id,
      portalUrl: this.#entry.portalUrl,
      status,
      reason,
      movedTo,
      platform,
      columns: [...this.#columns.values()].sort((a, b) => scopeRank(a.scope) - scopeRank(b.scope) || a.url.localeCompare(b.url)),
      pagesFetched: this.#pagesFetched,
      checkedAt: new Date().toISOString(),
    };
  }
}

function scopeRank(scope: ColumnScope): number {
  return scope === 'government' ? 0 : scope === 'department' ? 1 : 2;
}

/**
 * Finds a portal's 年报 columns. Never throws: an unreachable, moved or blocked portal, or one without a column,
 * comes back with that status and a reason.
 */
export async function discoverPortal(entry: CatalogEntry, options: DiscoverOptions): Promise<PortalDiscovery> {
  try {
    return await new PortalRun(entry, options).discover();
  } catch (error) {
    return {
      sourceId: entry.id,
      portalUrl: entry.portalUrl,
      status: 'no-column',
      reason: `discovery failed: ${error instanceof Error ? error.message : String(error)}`,
      movedTo: null,
      platform: null,
      columns: [],
      pagesFetched: 0,
      checkedAt: new Date().toISOString(),
    };
  }
}
