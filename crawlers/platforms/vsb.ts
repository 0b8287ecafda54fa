/**
 * 博达 VSB list pages (PORTALS.md §1.5): `<column>.htm` is page 1 and further pages count down,
 * `<column>/N-1.htm` … `<column>/1.htm`. The pager's 尾页 link and `p_t` "1/N" give N, so the first page
 * enqueues every page at once.
 */
import type { ListRequest, LoadedListPage, PlatformListing } from './types.ts';

/** The page count shown as `<span class="p_t">1/4</span>`, or null. */
function pageCount(text: string): number | null {
  const match = /class="p_t"[^>]*>\s*(\d+)\s*\/\s*(\d+)\s*</.exec(text);
  return match ? Number(match[2]) : null;
}

/** Reads a VSB list page; null when it has no VSB pager. */
export function readVsbListPage(page: LoadedListPage): PlatformListing | null {
  if (!/class="p_pages"/.test(page.text)) return null;
  const count = pageCount(page.text);
  const last = page.$('.p_last a[href]').attr('href');
  const nextPages: ListRequest[] = [];
  const url = new URL(page.url);
  const isFirst = /\/[^/]+\.htm$/.test(url.pathname) && !/\/\d+\.htm$/.test(url.pathname);
  if (isFirst && count && last && /(^|\/)1\.htm$/.test(last)) {
    for (let number = count - 1; number >= 1; number--) {
      nextPages.push({ url: new URL(last.replace(/1\.htm$/, `${number}.htm`), page.url).href, method: 'GET', kind: 'page' });
    }
  }
  // Its report links are plain anchors: the generic reader, which reads every list page, lists them.
  return { items: [], nextPages };
}
