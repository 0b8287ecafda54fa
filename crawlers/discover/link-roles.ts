/**
 * What a link's words (its text, or the title attribute that carries the untruncated name) say it leads to: THE
 * 政府信息公开年报 column, a 政府信息公开 / 政务公开 hub on the way there, a department's or township's sub-column,
 * one report, or nothing of interest (news that merely mentions 年度报告, website reports, work plans).
 */
import type { ColumnScope } from '../catalog-types.ts';
import { isReportTitle } from '../links.ts';
import { isSingleArticleUrl } from './report-url.ts';

/** What a link leads to, with a score (0–100) for how surely its words say so. */
export type LinkRole =
  | { role: 'column'; score: number; scope: ColumnScope; body?: string }
  | { role: 'other-governments-column' } // 县区政府信息公开年度报告: the reports of the governments below this one
  | { role: 'hub'; score: number }
  | { role: 'year'; year: number } // a year sub-column (2022年, 2022年政府信息公开年报)
  | { role: 'report' }
  | { role: 'none' };

/** Words of look-alikes: notices, plans, guides, website reports (报表), 政府工作报告, interpretations. */
const DECOY = /通知|关于|印发|要点|指南|制度|报表|工作报告|解读|计划|总结|编制|格式|规定|办法|意见|方案|会议|培训|动态|新闻/;
const YEAR = /(19|20)\d{2}/;
/** The 年报 words, with the 政府信息公开 qualifier they carry in column names. */
const ANNUAL_REPORT = /(政府|政务)?(信息)?公开(工作)?年(度报告|报)|年度报告|年报/;
const SCOPE_PREFIX = {
  department: /^(本级)?(县直|市直|区直|旗直|省直|州直|县政府|市政府|区政府|省政府|政府)?(各)?(部门|单位|机构)/,
  township: /^(各)?(乡镇|镇街|街镇|乡|镇|街道|苏木)/,
  otherGovernments: /^(各)?(县区|区县|县市区|县（市、区）|县\(市、区\)|市县|市州|县市|下级政府)/,
};
/** A department's name ends with its kind of body; a township's with 乡, 镇, 街道. */
const DEPARTMENT_NAME = /(局|委员会|委|办公室|办|中心|厅|院|署|站|队|会|所|馆|部|处)$/;
const TOWNSHIP_NAME = /(乡|镇|街道|街道办事处|办事处|苏木|民族乡)$/;
const GOVERNMENT_NAME = /(省|市|县|区|州|盟|旗|自治县|自治州|人民政府|政府)$/;

/** Link words without spaces, brackets and the trailing punctuation some menus add. */
export function normalizeLabel(label: string): string {
  return label
    .replace(/[\s\u3000\u00a0]+/g, '')
    .replace(/[»>›→]+$/, '')
    .replace(/^[«<‹·•]+/, '');
}

/** The best label of an anchor: the title attribute when it holds the text (menus and lists cut names with …). */
export function anchorLabel(text: string, title: string | undefined): string {
  const cleanTitle = normalizeLabel(title ?? '');
  const cleanText = normalizeLabel(text);
  if (cleanTitle.length > cleanText.length || /(…|\.\.\.?)$/.test(cleanText)) return cleanTitle || cleanText;
  return cleanText || cleanTitle;
}

/** A body's name from a sub-column's words: `财政局政府信息公开年报` → `财政局`. */
export function bodyName(label: string): string {
  return normalizeLabel(label)
    .replace(new RegExp(`(的)?(${ANNUAL_REPORT.source})(专栏|汇总)?$`), '')
    .replace(/[（(].*[)）]$/, '');
}

function yearRole(label: string): LinkRole | null {
  const match = /^((19|20)\d{2})年度?((政府)?(信息)?公开(工作)?年(度报告|报))?$/.exec(label);
  return match ? { role: 'year', year: Number(match[1]) } : null;
}

/** The role of a link whose words name a 年报 column (no year, no decoy words, a name rather than a headline). */
function columnRole(label: string): LinkRole | null {
  if (!ANNUAL_REPORT.test(label) || YEAR.test(label) || DECOY.test(label) || label.length > 24) return null;
  if (SCOPE_PREFIX.otherGovernments.test(label)) return { role: 'other-governments-column' };
  if (SCOPE_PREFIX.department.test(label)) return { role: 'column', score: 90, scope: 'department' };
  if (SCOPE_PREFIX.township.test(label)) return { role: 'column', score: 90, scope: 'township' };
  const body = bodyName(label);
  if (body.length >= 2 && TOWNSHIP_NAME.test(body)) return { role: 'column', score: 85, scope: 'township', body };
  if (body.length >= 2 && DEPARTMENT_NAME.test(body) && !/^(政府|政务|信息)/.test(body))
    return { role: 'column', score: 85, scope: 'department', body };
  if (body.length >= 2 && GOVERNMENT_NAME.test(body)) return { role: 'column', score: 80, scope: 'government', body };
  const score = /^(政府)?信息公开(工作)?年(度报告|报)/.test(label) ? 100 : /公开年(度报告|报)/.test(label) ? 90 : 70;
  return { role: 'column', score, scope: 'government' };
}

/** The role of a link to a 政府信息公开 / 政务公开 hub (the platform page the 年报 column hangs under). */
function hubRole(label: string): LinkRole | null {
  if (!/(信息|政务)公开|公开目录/.test(label) || YEAR.test(label) || DECOY.test(label) || label.length > 14) return null;
  if (/^政府信息公开(专栏|平台|目录|网)?$/.test(label)) return { role: 'hub', score: 90 };
  if (/^(政府)?信息公开目录$/.test(label)) return { role: 'hub', score: 85 };
  if (/^政务公开(专栏|平台)?$/.test(label)) return { role: 'hub', score: 80 };
  return { role: 'hub', score: /^信息公开$/.test(label) ? 75 : 50 };
}

/** Folders that name a 年报 column or a disclosure hub, for links whose words say nothing (image links). */
const COLUMN_FOLDER = /\/[a-z]*(gknb|ndbg)(_\d+)?\/(index\.s?html?)?$/i;
const HUB_FOLDER = /^\/(zwgk|xxgk|zfxxgk|gongkai|zfxxgkml|xxgkml|zfxxgkpt)(_\d+)?\/(index\.s?html?)?$/i;

/**
 * The role of a link from its words and address. Single-article addresses are reports or nothing, never columns
 * or hubs; a year in the words makes a report (or a year sub-column), not the column.
 */
export function classifyLink(label: string, url: URL): LinkRole {
  const words = normalizeLabel(label);
  if (isSingleArticleUrl(url.href)) return isReportTitle(words) ? { role: 'report' } : { role: 'none' };
  const byWords = yearRole(words) ?? columnRole(words) ?? hubRole(words);
  if (byWords) return byWords;
  if (isReportTitle(words)) return { role: 'report' };
  if (words.length <= 4 || /^(更多|more|查看更多|进入)/i.test(words)) {
    if (COLUMN_FOLDER.test(url.pathname)) return { role: 'column', score: 50, scope: 'government' };
    if (HUB_FOLDER.test(url.pathname)) return { role: 'hub', score: 30 };
  }
  return { role: 'none' };
}

/**
 * A sub-column inside a 年报 column: a link named by a department or township (财政局, 河东乡, with or without the
 * 年报 words), or a scope group (部门年报, 乡镇（街道）); null for anything else, including other governments (县区).
 */
export function subColumnRole(label: string, url: URL): { scope: ColumnScope; body?: string } | null {
  if (isSingleArticleUrl(url.href)) return null;
  const words = normalizeLabel(label);
  const asColumn = columnRole(words);
  if (asColumn?.role === 'column' && asColumn.scope !== 'government')
    return { scope: asColumn.scope, ...(asColumn.body ? { body: asColumn.body } : {}) };
  if (YEAR.test(words) || DECOY.test(words) || words.length > 20 || words.length < 2 || /首页|更多|上一页|下一页|尾页/.test(words))
    return null;
  if (SCOPE_PREFIX.otherGovernments.test(words)) return null;
  if (/^(部门|乡镇（街道）|乡镇\(街道\)|乡镇|街道|镇街)$/.test(words)) return { scope: /部门/.test(words) ? 'department' : 'township' };
  if (TOWNSHIP_NAME.test(words)) return { scope: 'township', body: words };
  // Township indexes often name the town's government: 城关镇人民政府 is 城关镇's sub-column.
  const town = words.replace(/(人民政府|政府)$/, '');
  if (town !== words && town.length >= 2 && TOWNSHIP_NAME.test(town)) return { scope: 'township', body: town };
  if (DEPARTMENT_NAME.test(words) && !/(公开|政府)办?$/.test(words)) return { scope: 'department', body: words };
  return null;
}

/**
 * Whose report a title names, for the column its address gives: a department or township of the government `name`
 * (示例县财政局…, 示例县河东乡人民政府…) or the government itself.
 */
export function reportScope(title: string, governmentForms: readonly string[]): { scope: ColumnScope; body?: string } {
  let issuer =
    normalizeLabel(title)
      .replace(/(19|20)\d{2}\s*年度?/g, '')
      .split(/(政府|政务)?信息公开/)[0] ?? '';
  for (const form of governmentForms) issuer = issuer.replace(form, '');
  issuer = issuer.replace(/^(人民政府|政府)/, '').replace(/(人民政府|政府)$/, '');
  if (issuer.length >= 2 && TOWNSHIP_NAME.test(issuer)) return { scope: 'township', body: issuer };
  if (issuer.length >= 2 && DEPARTMENT_NAME.test(issuer)) return { scope: 'department', body: issuer };
  return { scope: 'government' };
}
