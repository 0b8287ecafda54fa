/**
 * Reading one fetched page for discovery: every link a plain client can see (anchors, frames, Hanweb's inline
 * <datastore> records, navigation written by script from JSON, onclick targets), the page's own name (SiteName,
 * <title>, breadcrumb) and whether it is a soft 404. Bodies are dropped once read.
 */
import * as cheerio from 'cheerio';
import { absoluteUrl, cleanText } from '../links.ts';
import type { Platform } from '../catalog-types.ts';
import { anchorLabel } from './link-roles.ts';
import { platformOfHtml } from './platform.ts';

export interface PageLink {
  url: URL;
  /** The title attribute or the text, whichever names the target more fully. */
  label: string;
}

export interface ReadPage {
  links: PageLink[];
  /** The site's name: the SiteName meta, else the last part of <title>; null when neither exists. */
  siteName: string | null;
  /** Names the page gives itself: ColumnName meta, the parts of <title>, the breadcrumb's last step. */
  ownNames: string[];
  /** 200 answers that say the page does not exist, or hold almost nothing. */
  softNotFound: boolean;
  /** The platform the page's scripts and class names show, or null (platform.ts platformOfHtml). */
  platformHint: Platform | null;
  /** A Guangdong gkmlpt annual-report view: a script shell whose site config names the 年报 category. */
  annualReportApp: boolean;
}

const SOFT_404 = /页面不存在|页面未找到|找不到(该|您要访问的)?页面|您访问的页面已删除|404\s*(Not Found|错误)|页面走丢了/i;
const TITLE_SEPARATOR = /\s*[_|｜\-—–]+\s*/;
/** Objects of navigation data in scripts: {"name":"政府信息公开","url":"/zfxxgk/"} and friends. */
const SCRIPT_OBJECT = /\{[^{}]{0,600}\}/g;
const SCRIPT_TEXT_KEY = /["']?(name|title|text|label|catalogName|chnlName)["']?\s*:\s*["']([^"']{1,60})["']/;
const SCRIPT_URL_KEY = /["']?(url|href|link|path|src)["']?\s*:\s*["']([^"'\s]{1,300})["']/;
const ANNUAL_REPORT_APP = /window\._CONFIG\s*=\s*\{[^]*?SID[^]*?(年报|年度报告)/;
const ONCLICK_URL = /(?:window\.open|location(?:\.href)?\s*=|location\.assign)\s*\(?\s*["']([^"']+)["']/;

function addLink(links: PageLink[], seen: Set<string>, href: string | undefined, label: string, base: string): void {
  const url = absoluteUrl(href, base);
  if (!url) return;
  const key = `${url.href}\u0000${label}`;
  if (seen.has(key)) return;
  seen.add(key);
  links.push({ url, label });
}

/** Anchors inside Hanweb's `<script type="text/xml">` datastores, which an HTML parser reads as opaque text. */
function datastoreLinks($: cheerio.CheerioAPI): cheerio.CheerioAPI[] {
  return $('script')
    .toArray()
    .map((script) => $(script).text())
    .filter((text) => /<datastore|<record/i.test(text))
    .map((text) => cheerio.load(text.replace(/<!\[CDATA\[|\]\]>/g, '')));
}

function anchorsOf($: cheerio.CheerioAPI, links: PageLink[], seen: Set<string>, base: string): void {
  $('a[href], area[href]').each((_, element) => {
    const node = $(element);
    addLink(links, seen, node.attr('href'), anchorLabel(cleanText(node.text()), node.attr('title')), base);
  });
}

function framesAndClicks($: cheerio.CheerioAPI, links: PageLink[], seen: Set<string>, base: string): void {
  $('iframe[src], frame[src]').each((_, element) => {
    const node = $(element);
    addLink(links, seen, node.attr('src'), anchorLabel('', node.attr('title') ?? node.attr('name')), base);
  });
  $('[onclick]').each((_, element) => {
    const node = $(element);
    const target = ONCLICK_URL.exec(node.attr('onclick') ?? '')?.[1];
    if (target) addLink(links, seen, target, anchorLabel(cleanText(node.text()), node.attr('title')), base);
  });
}

function scriptNavigationLinks($: cheerio.CheerioAPI, links: PageLink[], seen: Set<string>, base: string): void {
  for (const script of $('script:not([src])').toArray()) {
    const text = $(script).text();
    for (const [object] of text.matchAll(SCRIPT_OBJECT)) {
      const label = SCRIPT_TEXT_KEY.exec(object)?.[2];
      const href = SCRIPT_URL_KEY.exec(object)?.[2];
      if (label && href && !/[+]/.test(href)) addLink(links, seen, href.replace(/\\\//g, '/'), anchorLabel(label, undefined), base);
    }
  }
}

function breadcrumbSteps($: cheerio.CheerioAPI): string[] {
  const crumb = $('[class*="crumb"], [class*="position"], [class*="location"], [class*="dqwz"], [id*="crumb"], [id*="position"]').first();
  const text = cleanText(crumb.text()).replace(/^.*?(当前位置|您的位置|所在位置)[:：]?/, '');
  return text
    .split(/\s*(?:>|›|»|→|\/|＞)\s*/)
    .map((step) => step.trim())
    .filter((step) => step.length > 0);
}

/** Reads a page's links, names and soft-404 signs; `pageUrl` is the final URL the page was served from. */
export function readPage(html: string, pageUrl: string): ReadPage {
  const $ = cheerio.load(html);
  const links: PageLink[] = [];
  const seen = new Set<string>();
  anchorsOf($, links, seen, pageUrl);
  for (const records of datastoreLinks($)) anchorsOf(records, links, seen, pageUrl);
  framesAndClicks($, links, seen, pageUrl);
  scriptNavigationLinks($, links, seen, pageUrl);

  const meta = (name: string) => cleanText($(`meta[name="${name}" i]`).attr('content')) || null;
  const titleParts = cleanText($('title').first().text())
    .split(TITLE_SEPARATOR)
    .filter((part) => part.length > 0);
  const siteName = meta('SiteName') ?? (titleParts.length > 1 ? titleParts.at(-1)! : null);
  const ownNames = [meta('ColumnName'), ...titleParts, breadcrumbSteps($).at(-1)].filter((name): name is string => !!name);
  const bodyText = cleanText($('body').text());
  const softNotFound =
    SOFT_404.test(cleanText($('title').text()) + bodyText.slice(0, 2000)) || (bodyText.length < 40 && links.length === 0);
  return { links, siteName, ownNames, softNotFound, platformHint: platformOfHtml(html), annualReportApp: ANNUAL_REPORT_APP.test(html) };
}

/** A tiny page that only forwards the browser (meta refresh or a location script): the URL it forwards to, or null. */
export function forwardTarget(html: string, pageUrl: string): URL | null {
  if (html.length > 4096) return null;
  const refresh = /<meta[^>]+http-equiv=["']?refresh["']?[^>]*content=["']?\s*\d+\s*;\s*url=([^"'>\s]+)/i.exec(html)?.[1];
  const script = /(?:window\.|self\.|top\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']|location\.replace\(\s*["']([^"']+)["']/.exec(html);
  return absoluteUrl(refresh ?? script?.[1] ?? script?.[2], pageUrl);
}
