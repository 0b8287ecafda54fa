/** What a platform reader gets (a loaded list page) and gives back (items and further list pages). */
import type { CheerioAPI } from 'cheerio';

/** A list page as fetched: its URL, how it was requested, its decoded text and parsed DOM. */
export interface LoadedListPage {
  url: string;
  method: 'GET' | 'POST';
  /** Form body of a POST request (Hanweb dataproxy.jsp), if any. */
  payload?: string;
  text: string;
  $: CheerioAPI;
}

/** A request for a further list page (a GET URL or a POSTed XML paging endpoint). */
export interface ListRequest {
  url: string;
  method: 'GET' | 'POST';
  payload?: string;
  headers?: Record<string, string>;
  /** page: another page of the same list (no deeper); column: a sub-column or hub (one level deeper). Default page. */
  kind?: 'page' | 'column';
}

/** A report link found on a list page. */
export interface ListItem {
  url: string;
  /** Full title: the title attribute over the (possibly truncated) anchor text. */
  title: string;
  /** YYYY-MM-DD shown next to the link, or null. */
  publishedAt: string | null;
  /** The link text was cut short before it named a report: the detail page's full title must confirm it. */
  titleUnconfirmed?: boolean;
}

/** What a platform reader found on one list page. */
export interface PlatformListing {
  items: ListItem[];
  nextPages: ListRequest[];
}

/** Reads one platform's list page; null when the page is not of that platform. */
export type ListPageReader = (page: LoadedListPage) => PlatformListing | null;
