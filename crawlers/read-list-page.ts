/**
 * Reads a list page with every platform reader that recognises it, plus the generic reader (plain next-page
 * links, sub-columns). A new platform is one more reader in PLATFORM_READERS.
 */
import { readGenericListPage } from './platforms/generic.ts';
import { readHanwebListPage } from './platforms/hanweb.ts';
import { readJsonApiListPage } from './platforms/json-api.ts';
import { readTrsListPage } from './platforms/trs.ts';
import { readVsbListPage } from './platforms/vsb.ts';
import type { ListItem, ListPageReader, LoadedListPage, PlatformListing } from './platforms/types.ts';
import { pageKey } from './crawl-state.ts';

const PLATFORM_READERS: ListPageReader[] = [readHanwebListPage, readTrsListPage, readVsbListPage, readJsonApiListPage];

function uniqueBy<T>(values: T[], key: (value: T) => string): T[] {
  return [...new Map(values.map((value) => [key(value), value] as const)).values()];
}

/** Items keep the first occurrence of a URL, but take a date or longer title another occurrence shows. */
function mergeItems(items: ListItem[]): ListItem[] {
  const byUrl = new Map<string, ListItem>();
  for (const item of items) {
    const seen = byUrl.get(item.url);
    if (!seen) byUrl.set(item.url, { ...item });
    else {
      seen.publishedAt ??= item.publishedAt;
      if (item.title.length > seen.title.length) seen.title = item.title;
      if (!item.titleUnconfirmed) delete seen.titleUnconfirmed;
    }
  }
  return [...byUrl.values()];
}

/** Every report item and further list page one list page leads to. */
export function readListPage(page: LoadedListPage): PlatformListing {
  const listings = [...PLATFORM_READERS.map((read) => read(page)), readGenericListPage(page)].filter(
    (listing): listing is PlatformListing => listing !== null,
  );
  return {
    items: mergeItems(listings.flatMap((listing) => listing.items)),
    nextPages: uniqueBy(
      listings.flatMap((listing) => listing.nextPages),
      pageKey,
    ),
  };
}
