/**
 * Whose site a page belongs to: the portal's own hosts (its name with or without www., and sub-domains such as
 * xxgk. or a department's czj.), guesses of its 信息公开 sub-domain, and whether the name a page gives itself
 * (SiteName meta, <title>, breadcrumb) is this government's or another's.
 */

/** Sub-domains on which governments put their 信息公开 platform (PORTALS.md §1.8), most common first. */
const DISCLOSURE_SUBDOMAINS = ['xxgk', 'zwgk', 'zfxxgk', 'gk'];

/** `www.demo-xian.gov.cn` → `demo-xian.gov.cn`; a host with a port (the simulator's 127.0.0.1:8001) stays as it is. */
export function siteBaseHost(host: string): string {
  return host.toLowerCase().replace(/^www\./, '');
}

function isIpHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/.test(host) || host.startsWith('[');
}

/**
 * Whether `host` is one of the portal's own: the portal host, its bare or www. twin, or a sub-domain of it
 * (xxgk.demo-xian.gov.cn, czj.demo-xian.gov.cn). A sibling under the same parent domain (another county's
 * xd.km.gov.cn beside lq.km.gov.cn, or the prefecture's www.km.gov.cn) is not.
 */
export function isOwnSiteHost(host: string, portalHost: string): boolean {
  const base = siteBaseHost(portalHost);
  const candidate = host.toLowerCase();
  if (siteBaseHost(candidate) === base) return true;
  return !isIpHost(base) && candidate.endsWith(`.${base}`);
}

/** Host names to try for the portal's 信息公开 sub-domain (xxgk.demo-xian.gov.cn …); none for an IP address. */
export function disclosureHostGuesses(portalHost: string): string[] {
  const base = siteBaseHost(portalHost);
  if (isIpHost(base) || !base.includes('.')) return [];
  return DISCLOSURE_SUBDOMAINS.map((label) => `${label}.${base}`).filter((host) => host !== portalHost.toLowerCase());
}

const DIVISION_SUFFIX = /(特别行政区|自治区|自治州|自治县|自治旗|林区|地区|新区|省|市|县|区|州|盟|旗)$/;

/**
 * The strings that name a government in pages: its full name, and its name without the division word when at
 * least two characters remain (子长市 also appears as 子长县 on pages older than its renaming).
 */
export function governmentNameForms(name: string): string[] {
  const bare = name.replace(/(人民政府|政府)$/, '');
  const stem = bare.replace(DIVISION_SUFFIX, '');
  return stem.length >= 2 && stem !== bare ? [bare, stem] : [bare];
}

/**
 * Whether a text (a site name, a link's text) names the government `name`. `ancestors` (the province and prefecture
 * of the catalog's path) are read out of the text first: 邵阳县's short form 邵阳 is inside 邵阳市, its prefecture,
 * whose pages and reports are not 邵阳县's (东营区 in 东营市, 昌吉市 in 昌吉州 alike).
 */
export function namesGovernment(text: string, name: string, ancestors: readonly string[] = []): boolean {
  const bare = name.replace(/(人民政府|政府)$/, '');
  let rest = text;
  for (const ancestor of ancestors) {
    const ancestorName = ancestor.replace(/(人民政府|政府)$/, '');
    if (ancestorName.length >= 2 && !bare.includes(ancestorName)) rest = rest.replaceAll(ancestorName, '\u0000');
  }
  return governmentNameForms(name).some((form) => rest.includes(form));
}

/** The names above a government in the catalog's path (江苏省/淮安市/淮阴区 → 江苏省, 淮安市). */
export function ancestorNames(path: string, name: string): string[] {
  const steps = path.split('/').filter((step) => step.length > 0);
  return steps.filter((step) => step !== name && step !== steps.at(-1));
}

/** A site name of a government body (…人民政府, …县, …局), as opposed to a column title (政府信息公开年报). */
const GOVERNMENT_SITE_NAME = /(人民政府|政府网|政府门户|[省市县区州盟旗]|局|委|办|厅)(门户网站|网站|网)?$/;

/**
 * Whether a page's own name says it belongs to another government: it names a government body and not this one.
 * A page that gives no body's name says nothing, so it is not held against the portal.
 */
export function namesAnotherGovernment(siteName: string | null, name: string, ancestors: readonly string[] = []): boolean {
  if (!siteName) return false;
  return GOVERNMENT_SITE_NAME.test(siteName.trim()) && !namesGovernment(siteName, name, ancestors);
}
