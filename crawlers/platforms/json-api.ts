/**
 * Lists rendered from JSON (PORTALS.md §1.4, Guangdong gkmlpt): the shell page holds
 * `window._CONFIG = {SID:'…', TREE:[{id, name:'政府信息公开年报'}]}`; `GET /gkmlpt/api/all/{category}?page=N&sid=SID`
 * answers `{total, page, articles:[{title, url, display_publish_time}]}`.
 */
import { isReportTitle, normalizeDate } from '../links.ts';
import type { ListItem, ListRequest, LoadedListPage, PlatformListing } from './types.ts';

interface GkmlptAnswer {
  total?: number;
  page?: number;
  articles?: { title?: string; url?: string; display_publish_time?: string }[];
}

/** Articles per API page when the answer does not say: the first page's length. */
function apiRequest(origin: string, category: string, pageNumber: number, sid: string): ListRequest {
  return { url: `${origin}/gkmlpt/api/all/${category}?page=${pageNumber}&sid=${sid}`, method: 'GET', kind: 'page' };
}

/** The shell: the annual-report categories of the tree (by name), page 1 of each. */
function readShell(page: LoadedListPage): PlatformListing | null {
  const config = /window\._CONFIG\s*=\s*\{([\s\S]*?)\};/.exec(page.text)?.[1];
  const sid = config ? /SID\s*:\s*['"]?(\w+)/.exec(config)?.[1] : undefined;
  if (!config || !sid) return null;
  const categories = [...config.matchAll(/\{\s*id\s*:\s*(\d+)\s*,\s*name\s*:\s*['"]([^'"]+)['"]/g)]
    .filter((match) => /年报|年度报告/.test(match[2]!))
    .map((match) => match[1]!);
  const origin = new URL(page.url).origin;
  return { items: [], nextPages: categories.map((category) => apiRequest(origin, category, 1, sid)) };
}

/** An API answer: its report articles, and (from page 1) every further page. */
function readAnswer(page: LoadedListPage): PlatformListing | null {
  let answer: GkmlptAnswer;
  try {
    answer = JSON.parse(page.text) as GkmlptAnswer;
  } catch {
    return null;
  }
  const items: ListItem[] = (answer.articles ?? [])
    .filter((article) => article.url && article.title && isReportTitle(article.title))
    .map((article) => ({
      url: new URL(article.url!, page.url).href,
      title: article.title!,
      publishedAt: normalizeDate(article.display_publish_time),
    }));
  const url = new URL(page.url);
  const pageNumber = Number(url.searchParams.get('page') ?? 1);
  const perPage = answer.articles?.length ?? 0;
  const nextPages: ListRequest[] = [];
  if (pageNumber === 1 && perPage > 0 && answer.total) {
    const category = url.pathname.split('/').pop()!;
    const sid = url.searchParams.get('sid') ?? '';
    for (let next = 2; next <= Math.ceil(answer.total / perPage); next++) nextPages.push(apiRequest(url.origin, category, next, sid));
  }
  return { items, nextPages };
}

/** Reads a gkmlpt shell page or API answer; null for other pages. */
export function readJsonApiListPage(page: LoadedListPage): PlatformListing | null {
  if (/\/gkmlpt\/api\/all\/\d+$/.test(new URL(page.url).pathname)) return readAnswer(page);
  return /window\._CONFIG\s*=/.test(page.text) ? readShell(page) : null;
}
