/**
 * Where each platform puts a 年报 column, its list pages and its reports (PORTALS.md §1, report-columns.tsv):
 * TRS t-dated files with index_N paging, Hanweb col/art with dataproxy paging, VSB info/N/N.htm with count-down
 * pages, Guangdong content/post_N, Hebei columns/<uuid>, Hunan /cNNNN/, Kunming /c/YYYY-MM-DD/, Jiangsu
 * content/<uuid>, static .htm trees and ASP.NET List.aspx/PublicDetail.aspx.
 */
import type { SimulatedPlatform } from './plan-portals.ts';
import { allocateId, uuidFrom, type SiteHost } from './site-host.ts';

/**
 * How further list pages are announced: `trs-old` createPageHTML(count, 0, …) with page 2 = index_1; `trs-new`
 * createPageHTML('page_div', count, 1, …) with page 2 = index_2; `next-link` a plain 下一页 anchor; `vsb` the VSB
 * pager counting down; `hanweb` an inline <datastore> and POST dataproxy.jsp.
 */
export type PagerKind = 'trs-old' | 'trs-new' | 'next-link' | 'vsb' | 'hanweb';

/** A report's place in time, which most platforms write into its URL. */
export interface DatedDocument {
  id: number;
  /** YYYY-MM-DD. */
  publishedAt: string;
  year: number;
}

export interface ColumnAddress {
  /** Path (with query on ASP.NET) of the first list page: the column's URL. */
  path: string;
  /** Other paths answering the first page (index.html beside the folder). */
  aliases: string[];
  pager: PagerKind;
  /** Path of list page `page` (0-based) out of `pageCount`. */
  pagePath(page: number, pageCount: number): string;
  reportPath(report: DatedDocument): string;
  /** Hanweb's columnid (also the jpage unitid's seed). */
  columnId: number;
}

const compact = (date: string) => date.replaceAll('-', '');

/** Folder-based platforms (TRS, Guangdong, Kunming, static, Jiangsu): list pages inside the folder. */
function folderAddress(platform: SimulatedPlatform, folder: string, columnId: number): ColumnAddress {
  const suffix = platform === 'kunming' ? 'shtml' : platform === 'static' ? 'htm' : 'html';
  const firstIndex = platform === 'trs' ? 0 : 1;
  const pager: PagerKind = platform === 'trs' ? 'trs-old' : platform === 'static' || platform === 'jiangsu' ? 'next-link' : 'trs-new';
  const reportPath = (report: DatedDocument): string => {
    switch (platform) {
      case 'gd-content':
        return `${folder}content/post_${report.id}.html`;
      case 'kunming':
        return `/c/${report.publishedAt}/${report.id}.shtml`;
      case 'static':
        return `${folder}${report.year}n/${report.id}.htm`;
      case 'jiangsu':
        return `${folder}content/${uuidFrom(`${folder}${report.id}`)}.html`;
      default:
        return `${folder}${compact(report.publishedAt).slice(0, 6)}/t${compact(report.publishedAt)}_${report.id}.html`;
    }
  };
  return {
    path: folder,
    aliases: [`${folder}index.${suffix}`],
    pager,
    pagePath: (page) => (page === 0 ? folder : `${folder}index_${page + firstIndex}.${suffix}`),
    reportPath,
    columnId,
  };
}

/** VSB: `<column>.htm`, further pages `<column>/N-1.htm` … `<column>/1.htm`, reports /info/<tree>/<id>.htm. */
function vsbAddress(folder: string, columnId: number): ColumnAddress {
  const base = folder.replace(/\/$/, '');
  return {
    path: `${base}.htm`,
    aliases: [],
    pager: 'vsb',
    pagePath: (page, pageCount) => (page === 0 ? `${base}.htm` : `${base}/${pageCount - page}.htm`),
    reportPath: (report) => `/info/${columnId}/${report.id}.htm`,
    columnId,
  };
}

function hanwebAddress(columnId: number): ColumnAddress {
  return {
    path: `/col/col${columnId}/index.html`,
    aliases: [`/col/col${columnId}/`],
    pager: 'hanweb',
    pagePath: () => `/col/col${columnId}/index.html`,
    reportPath: (report) => {
      const [year, month, day] = report.publishedAt.split('-').map(Number);
      return `/art/${year}/${month}/${day}/art_${columnId}_${report.id}.html`;
    },
    columnId,
  };
}

function hebeiAddress(uuid: string, columnId: number): ColumnAddress {
  const folder = `/columns/${uuid}/`;
  return {
    path: folder,
    aliases: [`${folder}index.html`],
    pager: 'trs-old',
    pagePath: (page) => (page === 0 ? folder : `${folder}index_${page}.html`),
    reportPath: (report) =>
      `${folder}${compact(report.publishedAt).slice(0, 6)}/${report.publishedAt.slice(8)}/${uuidFrom(`${uuid}:${report.id}`)}.html`,
    columnId,
  };
}

function hunanAddress(columnId: number): ColumnAddress {
  const folder = `/c${columnId}/`;
  return {
    path: folder,
    aliases: [`${folder}index.html`],
    pager: 'trs-new',
    pagePath: (page) => (page === 0 ? folder : `${folder}index_${page + 1}.html`),
    reportPath: (report) => `${folder}${compact(report.publishedAt)}/i${report.id}.html`,
    columnId,
  };
}

function aspnetAddress(columnId: number): ColumnAddress {
  const path = `/pages/xxgk/List.aspx?cid=${columnId}`;
  return {
    path,
    aliases: [],
    pager: 'next-link',
    pagePath: (page) => (page === 0 ? path : `${path}&page=${page + 1}`),
    reportPath: (report) => `/pages/xxgk/PublicDetail.aspx?id=${report.id}`,
    columnId,
  };
}

/**
 * The address of a new column on `host`. `folder` (ending in /) is where folder-based platforms put it; the others
 * take fresh ids from the host.
 */
export function addressColumn(platform: SimulatedPlatform, host: SiteHost, folder: string): ColumnAddress {
  const columnId = allocateId(host);
  switch (platform) {
    case 'hanweb':
      return hanwebAddress(columnId);
    case 'vsb':
      return vsbAddress(folder, columnId);
    case 'hebei-columns':
      return hebeiAddress(uuidFrom(`${host.key}:${columnId}`), columnId);
    case 'hunan':
      return hunanAddress(columnId);
    case 'aspnet':
      return aspnetAddress(columnId);
    default:
      return folderAddress(platform, folder, columnId);
  }
}
