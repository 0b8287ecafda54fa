/** Platform-independent list reading: report links with their dates, plain next-page links, 年报 sub-columns. */
import type { CheerioAPI } from 'cheerio';
import { absoluteUrl, cleanText, dateNextTo, isColumnLink, isReportTitle, mayBeTruncatedReportTitle } from '../links.ts';
import type { ListItem, ListRequest, LoadedListPage, PlatformListing } from './types.ts';

/** Report links of a page (or of an HTML fragment, such as Hanweb records), resolved against `baseUrl`. */
export function readReportLinks($: CheerioAPI, baseUrl: string): ListItem[] {
  const items: ListItem[] = [];
  $('a[href]').each((_, element) => {
    const anchor = $(element);
    const url = absoluteUrl(anchor.attr('href'), baseUrl);
    const title = cleanText(anchor.attr('title')) || cleanText(anchor.text());
    if (!url) return;
    if (isReportTitle(title)) items.push({ url: url.href, title, publishedAt: dateNextTo(anchor) });
    else if (mayBeTruncatedReportTitle(title))
      items.push({ url: url.href, title, publishedAt: dateNextTo(anchor), titleUnconfirmed: true });
  });
  return items;
}

const NEXT_PAGE_TEXT = /^(下一页|下页|后一页|next|>|›|»)$/i;
/** Hub links on a site root or 政务公开 page that lead towards the 年报 column. */
const HUB_TEXT = /^(政务公开|政府信息公开|信息公开|政府信息公开专栏|信息公开目录)$/;

/** Plain `下一页` links and links to 年报 sub-columns (部门年报, year folders). */
function readFurtherListLinks($: CheerioAPI, baseUrl: string): ListRequest[] {
  const requests: ListRequest[] = [];
  $('a[href]').each((_, element) => {
    const anchor = $(element);
    const url = absoluteUrl(anchor.attr('href'), baseUrl);
    const text = cleanText(anchor.text()) || cleanText(anchor.attr('title'));
    if (!url || url.href === baseUrl) return;
    if (NEXT_PAGE_TEXT.test(text)) requests.push({ url: url.href, method: 'GET', kind: 'page' });
    else if (isColumnLink(text, url) || HUB_TEXT.test(text)) requests.push({ url: url.href, method: 'GET', kind: 'column' });
  });
  return requests;
}

/** Reads any HTML list page: report links and further list pages reachable by plain links. */
export function readGenericListPage(page: LoadedListPage): PlatformListing {
  return { items: readReportLinks(page.$, page.url), nextPages: readFurtherListLinks(page.$, page.url) };
}
