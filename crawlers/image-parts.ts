/**
 * Reports published as images: an article whose statutory tables are scanned pages — shown in the text as `<img>`
 * or linked as .jpg/.png/.tif files — has those images as the further parts of its document, in page order, so
 * that the extract stage reads them through the scan path (OCR) and the report is one document.
 *
 * Only where the article needs them: an article whose text has tables of figures, or that links the report as a
 * document (PDF, Word…), takes none of its images (no needless OCR). Decorative images never count: by position
 * (page chrome, links to other pages), by name (logo, icon, QR code…), by declared size in the page, and — once
 * fetched — by their pixels (isTooSmallForTable).
 */
import type { CheerioAPI, contains } from 'cheerio';
import sharp from 'sharp';
import { absoluteUrl, attachmentKind } from './links.ts';
import type { DetailAttachment } from './read-detail-page.ts';

/** Most image parts one article brings (each costs an OCR of seconds); the same bound as extract's pages of one image. */
export const MAX_IMAGE_PARTS = 20;
/** Smallest image, in pixels, that can hold a readable table: a logo, icon or button is smaller. */
const MIN_TABLE_IMAGE = { width: 400, height: 200 };
/** Smallest declared size (width/height attribute or style, px) of a content image worth fetching. */
const MIN_DECLARED = { width: 200, height: 100 };
/** A cell that is a figure: what statutory tables are full of and layout tables are not. */
const FIGURE_CELL = /^\s*-?\d[\d,，.]*\s*$/;
/** Cells of figures that make a table a data table rather than layout. */
const MIN_FIGURE_CELLS = 6;
/** Names of decoration, in an image's class, id, alt or file name. */
const DECORATION =
  /(^|[^a-z])(logo|icons?|banner|nav|menu|share|qr|qrcode|ewm|erweima|weixin|wechat|weibo|btn|button|ads?|print|close|arrow|bg|gotop|search)([^a-z]|$)/i;
/** Names of page chrome, in the class or id of an image's container. */
const CHROME = /(^|[^a-z])(logo|banner|nav|menu|header|footer|share|qrcode|ewm|erweima|toolbar)([^a-z]|$)/i;
/** Where chrome lives whatever its names. */
const CHROME_TAGS = 'header, footer, nav, aside';
/** Attributes holding an image's address: src, and the lazy-loading ones CMSs use. */
const SOURCE_ATTRIBUTES = ['data-original', 'data-src', 'src'] as const;

/** Whether the page's text holds a table of figures (then the report is read from the text, not its images). */
export function hasFigureTable($: CheerioAPI): boolean {
  return $('table')
    .toArray()
    .some((table) => {
      const node = $(table);
      if (node.find('table').length > 0) return false; // a layout table holding others
      return node.find('td, th').filter((_, cell) => FIGURE_CELL.test($(cell).text())).length >= MIN_FIGURE_CELLS;
    });
}

/** A declared size in px from an attribute (`600`, `600px`) or the style (`width: 600px`); null when none or relative. */
function declaredSize(value: string | undefined, style: string | undefined, property: 'width' | 'height'): number | null {
  const fromStyle = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*(\\d+(?:\\.\\d+)?)px`, 'i').exec(style ?? '')?.[1];
  const text = fromStyle ?? /^\s*(\d+(?:\.\d+)?)(px)?\s*$/i.exec(value ?? '')?.[1];
  return text === undefined ? null : Number(text);
}

/** A node of a loaded page (cheerio's AnyNode, named without depending on domhandler directly). */
type PageNode = Parameters<typeof contains>[0];

/** Whether an `<img>` is decoration by where it stands, what it is called, or the size the page gives it. */
function isDecorative($: CheerioAPI, image: PageNode, url: URL): boolean {
  const node = $(image);
  const names = [node.attr('class'), node.attr('id'), node.attr('alt'), url.pathname.split('/').pop()].join(' ');
  if (DECORATION.test(names)) return true;
  if (node.closest(CHROME_TAGS).length > 0) return true;
  const containers = node.parents().toArray();
  if (containers.some((element) => CHROME.test(`${$(element).attr('class') ?? ''} ${$(element).attr('id') ?? ''}`))) return true;
  // An image inside a link to a page (not to itself or another image) is a banner or a button.
  const link = node.closest('a[href]').attr('href');
  const linked = link ? absoluteUrl(link, url.href) : null;
  if (linked && attachmentKind(linked, '') !== 'image') return true;
  const style = node.attr('style');
  const width = declaredSize(node.attr('width'), style, 'width');
  const height = declaredSize(node.attr('height'), style, 'height');
  return (width !== null && width < MIN_DECLARED.width) || (height !== null && height < MIN_DECLARED.height);
}

/** The content images of the page that may be scanned pages, in page order. */
function contentImages($: CheerioAPI, pageUrl: string): string[] {
  const found: string[] = [];
  $('body img').each((_, image) => {
    const node = $(image);
    const source = SOURCE_ATTRIBUTES.map((name) => node.attr(name)).find((value) => value?.trim());
    const url = absoluteUrl(source, pageUrl);
    if (url && !isDecorative($, image, url)) found.push(url.href);
  });
  return found;
}

/**
 * The images that make up the report of a detail page, in page order — its content images, then the image files
 * it links — or none when the page's text has a table of figures or it links the report as a document
 * (`attachments`: what readAttachments found on the page). At most MAX_IMAGE_PARTS.
 */
export function reportImageParts($: CheerioAPI, pageUrl: string, attachments: readonly DetailAttachment[]): string[] {
  const linksDocument = attachments.some((attachment) => attachment.kindHint !== 'image' && attachment.kindHint !== 'other');
  if (linksDocument || hasFigureTable($)) return [];
  const linked = attachments.filter((attachment) => attachment.kindHint === 'image').map((attachment) => attachment.url);
  return [...new Set([...contentImages($, pageUrl), ...linked])].filter((url) => url !== pageUrl).slice(0, MAX_IMAGE_PARTS);
}

/** Magic numbers of the image formats scans come in: JPEG, PNG, TIFF (both byte orders), BMP, WebP. */
function looksLikeImage(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 12));
  return (
    (head[0] === 0xff && head[1] === 0xd8) ||
    head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) ||
    head.subarray(0, 4).toString('latin1') === 'II*\0' ||
    head.subarray(0, 4).toString('latin1') === 'MM\0*' ||
    head.subarray(0, 2).toString('latin1') === 'BM' ||
    (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP')
  );
}

/**
 * Whether fetched bytes are an image too small to hold a readable table (a logo, an icon, a button the page gave
 * no size): such a part is left out of the document. Bytes that are no image, or that sharp cannot read, are
 * kept — extract reports what they are.
 */
export async function isTooSmallForTable(bytes: Uint8Array): Promise<boolean> {
  if (!looksLikeImage(bytes)) return false;
  const metadata = await sharp(bytes)
    .metadata()
    .catch(() => null);
  if (!metadata?.width || !metadata.height) return false;
  return metadata.width < MIN_TABLE_IMAGE.width || metadata.height < MIN_TABLE_IMAGE.height;
}
