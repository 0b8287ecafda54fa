/**
 * Which URLs a crawl may request: one canonical form per page (session ids stripped, `_wap` twins folded into
 * their page), allowed hosts, and caps against traps (query-variant explosion of one path, endless calendars).
 */

/** Query parameters that only carry a session: dropping them never changes the page. */
const SESSION_PARAMETERS = /^(jsessionid|phpsessid|aspsessionid\w*|sid|sessionid|session_id|_t|timestamp)$/i;

/**
 * The canonical form of a page URL: `;jsessionid=…` path parameters and session query parameters removed,
 * parameters sorted, the TRS mobile twin `t…_wap.html` mapped to `t….html`, no fragment.
 */
export function canonicalUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  url.pathname = url.pathname.replace(/;jsessionid=[^/?#]*/gi, '').replace(/(\/t\d{8}_\d+(?:_\d+)?)_wap(\.s?html?)$/i, '$1$2');
  const kept = [...url.searchParams].filter(([name]) => !SESSION_PARAMETERS.test(name));
  // Some APIs need their session id (gkmlpt's `sid` names the site, not a session): keep it where it is a path's only key.
  const sidOnly = [...url.searchParams].filter(([name]) => /^sid$/i.test(name));
  const params = new URLSearchParams([...kept, ...(url.pathname.includes('/api/') ? sidOnly : [])]);
  params.sort();
  url.search = params.toString();
  return url.href;
}

/** Counts distinct query strings per path, so that a calendar or a session-id maze cannot grow without end. */
export class QueryVariantCap {
  readonly #seen = new Map<string, Set<string>>();

  /** @param maxVariants Most distinct query strings fetched for one host and path. */
  constructor(readonly maxVariants: number) {}

  /** Whether `url` may be requested; counts it when it may. */
  admit(url: string): boolean {
    const parsed = new URL(url);
    const key = parsed.host + parsed.pathname;
    const variants = this.#seen.get(key) ?? new Set<string>();
    this.#seen.set(key, variants);
    if (variants.has(parsed.search)) return true;
    if (variants.size >= this.maxVariants) return false;
    variants.add(parsed.search);
    return true;
  }
}

/**
 * Why a URL may not be requested at all, or null: only http(s), and no credentials (a portal never needs them; a
 * link carrying them is a trap or a leak). Permanent: the URL will not change.
 */
export function unfetchableReason(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${raw} is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `${url.protocol} URLs are not crawled (only http and https)`;
  if (url.username || url.password) return 'URLs with credentials (user:password@) are not crawled';
  return null;
}
