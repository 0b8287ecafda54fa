/**
 * Whether a fetched page is a 年报 column, and whose: the report titles it lists, whether they name this
 * government or another one, and whether the page calls itself a 年报 column. A news list that carries one report
 * among twenty articles is no column; a column whose reports are another government's is not ours.
 */
import { isReportTitle } from '../links.ts';
import { classifyLink } from './link-roles.ts';
import type { ReadPage } from './read-page.ts';
import { isSingleArticleUrl } from './report-url.ts';
import { namesGovernment } from './site-identity.ts';

export interface ColumnEvidence {
  /** Distinct report titles listed. */
  reportTitles: string[];
  /** Of those, the ones naming this government (its own, its departments', its townships'). */
  ours: number;
  /** Of those, the ones naming another government. */
  others: number;
  /** Links to single articles on the page (reports included): the list the reports sit in, and the site's menus. */
  articleLinks: number;
  /** The page calls itself a 年报 column (ColumnName meta, <title>, breadcrumb). */
  namesColumn: boolean;
}

/** The part of a report title before the year and 政府信息公开 words: its issuer (示例县财政局). */
function issuerPart(title: string): string {
  return title.replace(/(19|20)\d{2}\s*年度?/g, '').split(/(政府|政务)?信息公开/)[0] ?? '';
}

/** Whether a report title's issuer is a government (or its body) other than `name`: 样例县财政局 for 示例县. */
export function titleNamesAnotherGovernment(title: string, name: string, ancestors: readonly string[] = []): boolean {
  if (namesGovernment(title, name, ancestors)) return false;
  const issuer = issuerPart(title);
  return issuer.length >= 2 && /[省市县区州盟旗]/.test(issuer);
}

/** Whether one of the page's own names is a 年报 column's name. */
export function pageNamesColumn(page: ReadPage): boolean {
  const placeholder = new URL('http://column.invalid/');
  return page.ownNames.some((name) => {
    const role = classifyLink(name, placeholder).role;
    return role === 'column' || role === 'other-governments-column';
  });
}

/** What a page shows about being a 年报 column of `governmentName` (below `ancestors`: site-identity namesGovernment). */
export function columnEvidence(page: ReadPage, governmentName: string, ancestors: readonly string[] = []): ColumnEvidence {
  const titles = new Map<string, string>();
  let articleLinks = 0;
  for (const link of page.links) {
    if (isSingleArticleUrl(link.url.href)) articleLinks++;
    // A year folder's link (2023年政府信息公开年报 → <column>/2023n/, a year page's breadcrumb to itself) is no report.
    if (isReportTitle(link.label) && classifyLink(link.label, link.url).role !== 'year') titles.set(link.url.href, link.label);
  }
  const reportTitles = [...new Set(titles.values())];
  return {
    reportTitles,
    ours: reportTitles.filter((title) => namesGovernment(title, governmentName, ancestors)).length,
    others: reportTitles.filter((title) => titleNamesAnotherGovernment(title, governmentName, ancestors)).length,
    articleLinks,
    namesColumn: pageNamesColumn(page),
  };
}

/**
 * Whether the evidence makes the page a 年报 column of this government. `strict` (pages of another government's
 * site, where only what names us is ours) asks that its reports name us more often than anyone else.
 */
export function isOurColumn(evidence: ColumnEvidence, strict: boolean): boolean {
  const { reportTitles, ours, others, articleLinks, namesColumn } = evidence;
  if (reportTitles.length === 0) return false;
  if (strict) return ours > 0 && ours > others;
  const mostlyOurs = others * 2 < reportTitles.length;
  const listsReports = namesColumn || reportTitles.length * 2 >= articleLinks;
  return mostlyOurs && listsReports;
}

/** A sentence saying what was seen: `12 report titles (e.g. 示例县2022年政府信息公开工作年度报告)`. */
export function describeReports(evidence: ColumnEvidence): string {
  const example = evidence.reportTitles[0];
  const count = `${evidence.reportTitles.length} report title${evidence.reportTitles.length === 1 ? '' : 's'}`;
  return example ? `${count} (e.g. ${example})` : count;
}
