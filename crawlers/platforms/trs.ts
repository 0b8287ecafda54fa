/**
 * TRS WCM static list pages (PORTALS.md §1.1): the pager is drawn by inline JS, so the page count is read from
 * the createPageHTML call. Old signature `createPageHTML(count, current, "index", "html")`, new signature
 * `createPageHTML('page_div', count, current, 'index', 'html', total)`. Page 2 is `index_1.html` where the first
 * page says current 0, and `index_2.html` where it says current 1.
 */
import type { LoadedListPage, ListRequest, PlatformListing } from './types.ts';

/** The pager's arguments once variables are resolved. */
export interface TrsPager {
  count: number;
  current: number;
  prefix: string;
  suffix: string;
}

function unquote(argument: string): string {
  return argument.trim().replace(/^["']|["']$/g, '');
}

/** Resolves `countPage` to 12 when the script says `var countPage = 12`. */
function resolveNumber(argument: string, script: string): number {
  const literal = Number(argument.trim());
  if (Number.isFinite(literal) && argument.trim() !== '') return literal;
  const name = argument.trim().replace(/[^\w$]/g, '');
  const assigned = new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(script);
  return assigned ? Number(assigned[1]) : NaN;
}

/** The createPageHTML pager of a list page (not the `t…` article pager of a detail page), or null. */
export function readTrsPager(text: string): TrsPager | null {
  for (const call of text.matchAll(/createPageHTML\s*\(([^)]*)\)/g)) {
    const args = call[1]!.split(',');
    const isNewSignature = /^\s*["']/.test(args[0] ?? '') && args.length >= 5;
    const [count, current, prefix, suffix] = isNewSignature ? args.slice(1, 5) : args.slice(0, 4);
    if (count === undefined || current === undefined || prefix === undefined) continue;
    const pager = {
      count: resolveNumber(count, text),
      current: resolveNumber(current, text),
      prefix: unquote(prefix),
      suffix: unquote(suffix ?? 'html'),
    };
    if (Number.isFinite(pager.count) && Number.isFinite(pager.current) && !/^t\d{8}_/.test(pager.prefix)) return pager;
  }
  return null;
}

/** The file name of the 0-based page number `page`: index.html, then index_{page + firstIndex}.html. */
export function trsPageFile(pager: TrsPager, page: number, firstIndex: number): string {
  return page === 0 ? `${pager.prefix}.${pager.suffix}` : `${pager.prefix}_${page + firstIndex}.${pager.suffix}`;
}

function isFirstPage(url: string, pager: TrsPager): boolean {
  const file = new URL(url).pathname.split('/').pop() ?? '';
  return file === '' || file === `${pager.prefix}.${pager.suffix}`;
}

/**
 * Reads a TRS list page. The first page enqueues every further page at once (its `current` tells the
 * numbering); later pages add only their items, since the first page has already listed them all.
 */
export function readTrsListPage(page: LoadedListPage): PlatformListing | null {
  const pager = readTrsPager(page.text);
  if (!pager) return null;
  const nextPages: ListRequest[] = [];
  if (isFirstPage(page.url, pager)) {
    const firstIndex = pager.current >= 1 ? 1 : 0;
    for (let pageNumber = 1; pageNumber < pager.count; pageNumber++) {
      nextPages.push({ url: new URL(trsPageFile(pager, pageNumber, firstIndex), page.url).href, method: 'GET' });
    }
  }
  // Its report links are plain anchors: the generic reader, which reads every list page, lists them.
  return { items: [], nextPages };
}
