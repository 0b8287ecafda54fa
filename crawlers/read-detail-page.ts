/** Reads a report's detail page: its full title and date (meta tags first) and the attachments it links. */
import type { CheerioAPI } from 'cheerio';
import { absoluteUrl, attachmentKind, cleanText, isReportTitle, normalizeDate, stripExtension } from './links.ts';
import type { DocumentKindHint } from './types.ts';

/** What a detail page says about itself. */
interface DetailPageInfo {
  /** meta ArticleTitle, else the page heading, else <title> (site suffix removed); '' when none. */
  title: string;
  /** meta PubDate (or 发布日期/发布时间 in the page) as YYYY-MM-DD, or null. */
  publishedAt: string | null;
}

/** An attachment linked from a detail page. */
export interface DetailAttachment {
  url: string;
  kindHint: DocumentKindHint;
  /** The link's text without the file extension (may be generic, such as 下载). */
  text: string;
}

/** The content of `<meta name="…">`, matching the name case-insensitively (old pages write ARTICLETITLE). */
function metaContent($: CheerioAPI, name: string): string | null {
  const wanted = name.toLowerCase();
  const element = $('meta[name]')
    .filter((_, meta) => ($(meta).attr('name') ?? '').toLowerCase() === wanted)
    .first();
  return cleanText(element.attr('content')) || null;
}

function headingTitle($: CheerioAPI): string {
  for (const selector of ['h1', '.title', '.art-title', '.Article_title', 'h2']) {
    const text = cleanText($(selector).first().text());
    if (text) return text;
  }
  return cleanText($('title').text()).replace(/[_|-][^_|-]*$/, '');
}

/** The title and publication date a detail page states. */
export function readDetailInfo($: CheerioAPI): DetailPageInfo {
  const title = metaContent($, 'ArticleTitle') ?? headingTitle($);
  const shownDate = /(发布日期|发布时间|生成日期|成文日期)[：:]\s*([\d年月日/.\-\s]+)/.exec($('body').text())?.[2];
  return { title, publishedAt: normalizeDate(metaContent($, 'PubDate')) ?? normalizeDate(shownDate) };
}

/** The file a PDF viewer page shows: /pdfjs/web/viewer.html?file=….pdf. */
function viewerFile(url: URL, base: string): URL | null {
  const file = /viewer\.html?$/i.test(url.pathname) ? url.searchParams.get('file') : null;
  return file ? absoluteUrl(file, base) : null;
}

/** A document URL quoted in an onclick script: window.open('…pdf'), location.href='…doc'. */
function scriptedHref(onclick: string | undefined): string | undefined {
  return /["']([^"']+\.(?:pdf|docx?|wps|xlsx?|ofd))["']/i.exec(onclick ?? '')?.[1];
}

/** Attachments linked from the page: anchors (also JS-only ones), iframes, embeds and objects pointing at documents. */
export function readAttachments($: CheerioAPI, pageUrl: string): DetailAttachment[] {
  const found = new Map<string, DetailAttachment>();
  $('a[href], a[onclick], iframe[src], embed[src], object[data]').each((_, element) => {
    const node = $(element);
    const href = scriptedHref(node.attr('onclick')) ?? node.attr('href') ?? node.attr('src') ?? node.attr('data');
    const raw = absoluteUrl(href, pageUrl);
    const url = raw ? (viewerFile(raw, pageUrl) ?? raw) : null;
    if (!url || url.href === pageUrl || found.has(url.href)) return;
    const text = cleanText(node.attr('title')) || cleanText(node.text());
    const kindHint = attachmentKind(url, text);
    if (kindHint) found.set(url.href, { url: url.href, kindHint, text: stripExtension(text) });
  });
  return [...found.values()];
}

/** An attachment's title: its link text when that names the report, else the page title with the text added. */
export function attachmentTitle(attachment: DetailAttachment, pageTitle: string): string {
  if (isReportTitle(attachment.text) || !pageTitle) return attachment.text || pageTitle;
  const generic = !attachment.text || /^(附件\s*\d*[:：]?|下载|点击下载|全文下载|查看|pdf版?)$/i.test(attachment.text);
  return generic || attachment.text === pageTitle ? pageTitle : `${pageTitle}（${attachment.text}）`;
}
