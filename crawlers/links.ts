/** Reading links: which titles are annual reports, which URLs are attachments, and dates shown next to links. */
import type { Cheerio, contains } from 'cheerio';
import type { DocumentKindHint } from './types.ts';

const REPORT_WORDS = /年度报告|年报/;
const DISCLOSURE_WORDS = /信息公开|政务公开/;
/** Look-alikes in the same columns: guides, rules, notices about writing the report, website reports. */
const DECOY_WORDS = /指南|制度|通知|编制|格式|报表|目录|规定|办法|意见|方案/;

const YEAR = /(19|20)\d{2}/;

/**
 * Whether a link title names a 政府信息公开工作年度报告 of some year (not a guide, notice, website report, or the
 * 年报 column itself, whose name carries no year).
 */
export function isReportTitle(title: string): boolean {
  return REPORT_WORDS.test(title) && DISCLOSURE_WORDS.test(title) && YEAR.test(title) && !DECOY_WORDS.test(title);
}

/**
 * Whether a link text cut with an ellipsis may be a report title whose 年度报告 was cut off
 * (`示例县2022年政府信息公开工作年…`); the detail page's full title decides.
 */
export function mayBeTruncatedReportTitle(title: string): boolean {
  return /(…|\.\.\.?)$/.test(title) && (DISCLOSURE_WORDS.test(title) || /信息公|政务公/.test(title)) && !DECOY_WORDS.test(title);
}

/** Whether a link leads to a 年报 column or sub-column (政府信息公开年报, 部门年报, 2022年) rather than a report. */
export function isColumnLink(text: string, url: URL): boolean {
  const looksLikeColumnUrl = /\/$|\/index(_\d+)?\.s?html?$/.test(url.pathname);
  const namesColumn = (REPORT_WORDS.test(text) && !YEAR.test(text)) || /^(19|20)\d{2}年度?$/.test(text);
  return looksLikeColumnUrl && namesColumn && !DECOY_WORDS.test(text);
}

/** A node of a loaded page (cheerio's AnyNode, named without depending on domhandler directly). */
type PageNode = Parameters<typeof contains>[0];

const KIND_BY_EXTENSION: Record<string, DocumentKindHint> = {
  pdf: 'pdf',
  doc: 'doc',
  docx: 'docx',
  wps: 'wps',
  xls: 'xls',
  xlsx: 'xls',
  et: 'xls',
  ofd: 'other',
  rtf: 'other',
  zip: 'other',
  rar: 'other',
  '7z': 'other',
  // Scanned pages posted as image files; gif is left out: portals use it for icons and animations, not scans.
  jpg: 'image',
  jpeg: 'image',
  png: 'image',
  tif: 'image',
  tiff: 'image',
  bmp: 'image',
  webp: 'image',
};
const EXTENSION = /\.([a-z0-9]{1,4})$/i;
/** Download scripts of Hanweb (downfile.jsp), VSB (download.jsp) and friends, and attachment folders. */
const DOWNLOAD_SCRIPT = /\/(downfile|download|downloadfile|filedownload|attachment)\.(jsp|do|action|aspx?|php)$/i;

function kindOfName(name: string): DocumentKindHint | null {
  const extension = EXTENSION.exec(name.trim())?.[1]?.toLowerCase();
  return extension ? (KIND_BY_EXTENSION[extension] ?? null) : null;
}

/** The kind of an attachment link (from its path, its filename parameter, or its text), or null when it is no attachment. */
export function attachmentKind(url: URL, linkText: string): DocumentKindHint | null {
  const byPath = kindOfName(url.pathname);
  if (byPath) return byPath;
  if (!DOWNLOAD_SCRIPT.test(url.pathname) && !/\/attach(ment)?s?\//i.test(url.pathname)) return null;
  for (const value of url.searchParams.values()) {
    const byParameter = kindOfName(value);
    if (byParameter) return byParameter;
  }
  return kindOfName(linkText) ?? 'other';
}

/** The name of an attachment without its extension: `X年度报告.pdf` → `X年度报告`. */
export function stripExtension(name: string): string {
  return name
    .trim()
    .replace(/\.(pdf|docx?|wps|xlsx?|et|ofd|rtf|zip|rar|7z|jpe?g|png|tiff?|bmp|webp)$/i, '')
    .trim();
}

/** YYYY-MM-DD from `2022-01-11`, `2022/1/11`, `2022.01.11` or `2022年1月11日`, or null. */
export function normalizeDate(text: string | null | undefined): string | null {
  const match = /((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})/.exec(text ?? '');
  if (!match) return null;
  const [, year, month, day] = match;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return null;
  return `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
}

/** The date shown beside a list link: in its list row (li, tr, dd…), outside the link's own text. */
export function dateNextTo(anchor: Cheerio<PageNode>): string | null {
  const row = anchor.closest('li, tr, dd, dt, p');
  const scope = (row.length > 0 ? row.first() : anchor.parent()).clone();
  // Without a row element the parent may hold the whole list: its dates belong to other links.
  if (row.length === 0 && scope.find('a').length > 1) return null;
  scope.find('a').remove();
  return normalizeDate(scope.text());
}

/** The absolute http(s) URL of a link without its #fragment, or null for javascript:, mailto: and junk. */
export function absoluteUrl(href: string | undefined, base: string): URL | null {
  if (!href || /^\s*(javascript|mailto|tel|data):/i.test(href)) return null;
  try {
    const url = new URL(href.trim(), base);
    url.hash = '';
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Collapses whitespace (incl. ideographic space) in a link text. */
export function cleanText(text: string | undefined): string {
  return (text ?? '').replace(/[\s\u3000\u00a0]+/g, ' ').trim();
}
