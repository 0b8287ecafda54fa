/**
 * Hanweb (大汉 JCMS) column pages (PORTALS.md §1.2): the first records sit inline in a `<datastore>` XML
 * script; the rest come from POST /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…
 * with the column's jpageform fields as the form body, answering `<datastore><totalrecord>` XML.
 */
import * as cheerio from 'cheerio';
import { readReportLinks } from './generic.ts';
import type { ListItem, ListRequest, LoadedListPage, PlatformListing } from './types.ts';

const DATAPROXY_PATH = '/module/web/jpage/dataproxy.jsp';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The HTML inside each `<record><![CDATA[…]]></record>`. */
function recordsOf(text: string): string[] {
  return [...text.matchAll(/<record>\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*<\/record>/g)].map((match) => match[1]!);
}

function itemsOf(records: string[], baseUrl: string): ListItem[] {
  return records.length === 0 ? [] : readReportLinks(cheerio.load(records.join('\n')), baseUrl);
}

/** The `jpageform_88231 = {col:1, appid:1, …}` object of a column page, as strings. */
function readJpageForm(text: string): Record<string, string> | null {
  const match = /jpageform_\d+\s*=\s*\{([^}]*)\}/.exec(text);
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const pair of match[1]!.split(',')) {
    const [key, value] = pair.split(':').map((part) => part.trim().replace(/^["']|["']$/g, ''));
    if (key && value !== undefined) fields[key] = value;
  }
  return fields;
}

/** The query of the `<nextgroup>` link (appid, webid, path, columnid, unitid, webname…). */
function readNextGroup(text: string, baseUrl: string): URL | null {
  const href = /<nextgroup>\s*<!\[CDATA\[\s*<a[^>]+href=["']([^"']+)["']/.exec(text)?.[1];
  return href ? new URL(href.replace(/&amp;/g, '&'), baseUrl) : null;
}

function dataproxyRequest(baseUrl: string, form: URLSearchParams, start: number, perPage: number, groupSize: number): ListRequest {
  const end = start + perPage * groupSize - 1;
  const url = new URL(`${DATAPROXY_PATH}?startrecord=${start}&endrecord=${end}&perpage=${perPage}`, baseUrl);
  return { url: url.href, method: 'POST', payload: form.toString(), headers: { 'content-type': FORM_TYPE, referer: baseUrl } };
}

/** The column page: inline records, then the first dataproxy group after them. */
function readColumnPage(page: LoadedListPage): PlatformListing {
  const records = recordsOf(page.text);
  const items = itemsOf(records, page.url);
  const jpage = readJpageForm(page.text);
  const nextGroup = readNextGroup(page.text, page.url);
  if (!jpage) {
    // Older JCMS: the nextgroup link itself is a GET to the next page of records.
    return { items, nextPages: nextGroup ? [{ url: nextGroup.href, method: 'GET' }] : [] };
  }
  const form = new URLSearchParams(nextGroup?.search ?? '');
  form.delete('page');
  for (const [key, value] of Object.entries(jpage)) if (!['perpage', 'groupsize'].includes(key)) form.set(key, value);
  const perPage = Number(jpage.perpage ?? 15);
  const groupSize = Number(jpage.groupsize ?? 3);
  return { items, nextPages: [dataproxyRequest(page.url, form, records.length + 1, perPage, groupSize)] };
}

/** A dataproxy answer: its records, and the next group while records remain. */
function readDataproxyAnswer(page: LoadedListPage): PlatformListing {
  const items = itemsOf(recordsOf(page.text), page.url);
  const total = Number(/<totalrecord>\s*(\d+)\s*<\/totalrecord>/.exec(page.text)?.[1] ?? 0);
  const query = new URL(page.url).searchParams;
  const end = Number(query.get('endrecord') ?? 0);
  const perPage = Number(query.get('perpage') ?? 15);
  const start = Number(query.get('startrecord') ?? 1);
  const groupSize = Math.max(1, Math.round((end - start + 1) / perPage));
  const referer = new URL(page.url).origin;
  const nextPages =
    end > 0 && end < total && items.length > 0
      ? [dataproxyRequest(referer, new URLSearchParams(page.payload ?? ''), end + 1, perPage, groupSize)]
      : [];
  return { items, nextPages };
}

/** Reads a Hanweb column page or dataproxy answer; null when the page has no `<datastore>`. */
export function readHanwebListPage(page: LoadedListPage): PlatformListing | null {
  if (!/<datastore>/.test(page.text)) return null;
  return new URL(page.url).pathname.endsWith('dataproxy.jsp') ? readDataproxyAnswer(page) : readColumnPage(page);
}
