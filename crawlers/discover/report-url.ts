/**
 * Cutting a report's address into the 年报 column it was published in, and telling single articles from list pages.
 * Portals name folders after their columns (TRS pinyin initials, Hanweb column ids, opaque ids on regional CMSs), so
 * a report's folder path usually names its column; where it cannot (VSB trees, site-wide date stores), null.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A 年报 column folder: zfxxgknb, xxgknb, zfgknb, gknb, bmxxgkndbg, zfxxgkndbg, ndbg…, maybe with a TRS channel id. */
const ANNUAL_REPORT_SLUG = /^[a-z]*(gknb|ndbg)(_\d+)?$/i;

/** Folders beneath a 年报 column that only group its reports: years, dates, nested 年报 folders, scopes, article stores. */
const GROUPING_FOLDER = [
  /(19|20)\d{2}/, // year sub-columns (2022n, n2022n, nb_2022n, gknb2017, mb2021) and date folders (202403)
  /^\d+$/,
  /nb|ndbg|nianbao/i, // nested 年报 folders (szfnb, xxgkndbg1, xinxinianbao, nbzl)
  /^((s|x|q)?zf(g?bm)?|bm\w*|xz(jd)?|jd)(_\d+)?$/i, // scope groupings: 市/县/区政府, 部门, 乡镇, 街道
  /^(art|content)$/i, // Hanweb-new and Jiangsu/Guangdong article folders
];

/** Opaque column ids of regional CMSs: Hunan c26829, 新疆 C116872, Shanghai nw12344, Hebei columns/<uuid>. */
const OPAQUE_COLUMN_FOLDER = /^(c\d+|nw\d+)$/i;

/** A daily date folder (2023-02-06): sites that file by day keep one store for all their columns. */
const DASHED_DATE_FOLDER = /^\d{4}-\d{1,2}-\d{1,2}$/;

/** Parts of a date path (202302, 20250126, 2018, 3, 26) that sit between a column folder and its article. */
const DATE_PART_FOLDER = /^(\d{4}|\d{6}|\d{8}|\d{1,2})$/;

/** A Hanweb detail: /art/Y/M/D/art_<column id>_<article id>.html, with the old JCMS …/site prefix. */
const HANWEB_ARTICLE = /^(.*)\/art\/\d{4}\/\d{1,2}\/\d{1,2}\/art_(\d+)_\d+\.html$/i;

interface SplitPath {
  folders: string[];
  file: string;
}

function splitPath(pathname: string): SplitPath {
  const parts = pathname.split('/').filter((part) => part.length > 0);
  if (pathname.endsWith('/')) return { folders: parts, file: '' };
  return { folders: parts.slice(0, -1), file: parts.at(-1) ?? '' };
}

function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Whether a path is a list page: a folder, index(_N), list pages, Hanweb column pages, numbered pages of a 年报 folder. */
function isListPath({ folders, file }: SplitPath): boolean {
  if (file === '' || /^index(_\d+)?\.s?html?$/i.test(file) || /list/i.test(file)) return true;
  if (folders.some((folder) => /^(list|col\d+)$/i.test(folder))) return true;
  if (/(gknb|ndbg)/i.test(file) && !/^t\d/i.test(file)) return true; // common_zfxxgknb.shtml names its column
  if (/^gkmlpt$/i.test(folders[0] ?? '') && /^annualreport/i.test(file)) return true;
  // Page N of a column sits right in its folder (VSB-like 1.htm); deeper N.html files are reports of a year folder.
  return /^\d{1,3}\.s?html?$/i.test(file) && ANNUAL_REPORT_SLUG.test(folders.at(-1) ?? '');
}

/** The folder path of `folders[0..end]` on the report's origin. */
function folderUrl(url: URL, folders: string[], end: number): string {
  return `${url.origin}/${folders.slice(0, end + 1).join('/')}/`;
}

/**
 * The column below a 年报 folder: the 年报 folder itself, or a body's own sub-column beneath it (兴仁 on the
 * prefecture's column: …/zfxxgknb/2022n/xs/) when a folder below is neither a year, a date, a scope group nor an
 * article store.
 */
function columnUnderSlug(url: URL, folders: string[], slugIndex: number): string {
  let end = slugIndex;
  for (let index = slugIndex + 1; index < folders.length; index++) {
    if (!GROUPING_FOLDER.some((pattern) => pattern.test(folders[index]!))) end = index;
  }
  return folderUrl(url, folders, end);
}

/** The opaque-id column of a regional CMS report (…/c26829/20250126/i1.html, /columns/<uuid>/202302/13/<uuid>.html). */
function opaqueColumn(url: URL, folders: string[]): string | null {
  let end = folders.length - 1;
  while (end >= 0 && DATE_PART_FOLDER.test(folders[end]!)) end--;
  if (end < 0 || end === folders.length - 1) return null;
  const folder = folders[end]!;
  const opaque = OPAQUE_COLUMN_FOLDER.test(folder) || /^C\d+$/.test(folder) || UUID.test(folder);
  return opaque ? folderUrl(url, folders, end) : null;
}

/**
 * The 年报 column a report's address sits in, or null when the address does not say (VSB trees, site-wide date
 * stores, query-string detail pages, reports filed under a column that is no 年报 column). An address that already
 * is a column or list page is returned as it is.
 */
export function columnFromReportUrl(reportUrl: string): string | null {
  const url = parseUrl(reportUrl);
  if (!url) return null;
  const hanweb = HANWEB_ARTICLE.exec(url.pathname);
  // Classic Hanweb lists a column at col/colN/index.html; the old JCMS (…/site/art/…) serves the folder itself.
  if (hanweb) return `${url.origin}${hanweb[1]}/col/col${hanweb[2]}/${hanweb[1] ? '' : 'index.html'}`;
  if (/xxgkAnnualReport\.jsp$/i.test(url.pathname)) return url.href; // Hanweb's annual-report view is the column
  if (url.search !== '') return null; // ASP.NET / JSP detail pages: the id says nothing of the column
  const path = splitPath(url.pathname);
  if (isListPath(path)) return url.href;
  const { folders } = path;
  if (folders.some((folder) => DASHED_DATE_FOLDER.test(folder))) return null;
  const slugIndex = folders.findIndex((folder) => ANNUAL_REPORT_SLUG.test(folder));
  if (slugIndex >= 0) return columnUnderSlug(url, folders, slugIndex);
  // A pinyin-named folder without a 年报 slug is some other column (公告公示, 文件类信息公开): not this report's 年报 column.
  return opaqueColumn(url, folders);
}

/**
 * Whether an address is one article rather than a list: TRS t-files, Hanweb art_, VSB info/N/N.htm, post_N,
 * content_N, Content-N, uuid- or long-id-named files, attachments, and query-string detail pages.
 */
export function isSingleArticleUrl(raw: string): boolean {
  const url = parseUrl(raw);
  if (!url) return false;
  const path = splitPath(url.pathname);
  if (/\.(pdf|docx?|wps|xlsx?|ofd|zip|rar)$/i.test(path.file)) return true;
  if (/(detail|show|content|article|view)\w*\.(aspx?|jsp|php|do)$/i.test(path.file) && url.search !== '') return true;
  if (isListPath(path) || /xxgkAnnualReport\.jsp$/i.test(path.file)) return false;
  const stem = path.file.replace(/\.\w+$/, '');
  if (/\/info\/\d+\/\d+\.htm$/i.test(url.pathname)) return true; // VSB, whatever the id's length
  return (
    (/^\d{4,}$/.test(stem) && !/^(19|20)\d{2}$/.test(stem)) || // a year page (2022.htm) lists that year's reports
    /^t\d{7,}/i.test(stem) ||
    /^art_/i.test(stem) ||
    /^(m?post|content)[_-]?\d+$/i.test(stem) ||
    /^i\d+$/i.test(stem) ||
    /^[0-9a-f-]{16,}$/i.test(stem)
  );
}

/** A column's address in one form: Hanweb's col/colN/index.html (as portals link it), any other folder without its index page. */
export function canonicalColumnUrl(raw: string): string {
  const url = new URL(raw);
  url.hash = '';
  const hanweb = /^(.*\/col\/col\d+\/)(index\.html)?$/i.exec(url.pathname);
  if (hanweb && !/jcms_files/i.test(url.pathname)) url.pathname = `${hanweb[1]}index.html`;
  else url.pathname = url.pathname.replace(/\/index\.s?html?$/i, '/');
  return url.href;
}
