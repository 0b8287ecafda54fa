/**
 * The words the national simulator builds portals from: department and township names with their pinyin slugs,
 * report title phrasings, and the look-alike titles real portals put next to the 年报 column (PORTALS.md §2.3).
 * Township names are common ones, not tied to a real county.
 */

/** A body's name and the pinyin-initials folder real portals file it under. */
export interface NamedSlug {
  name: string;
  slug: string;
}

/** County and prefecture departments (a province's are 厅, see departmentName). */
export const DEPARTMENTS: readonly NamedSlug[] = [
  { name: '财政局', slug: 'czj' },
  { name: '交通运输局', slug: 'jtysj' },
  { name: '自然资源局', slug: 'zrzyj' },
  { name: '教育局', slug: 'jyj' },
  { name: '民政局', slug: 'mzj' },
  { name: '卫生健康局', slug: 'wsjkj' },
  { name: '生态环境局', slug: 'sthjj' },
  { name: '住房和城乡建设局', slug: 'zfcxjsj' },
  { name: '农业农村局', slug: 'nyncj' },
  { name: '市场监督管理局', slug: 'scjgj' },
  { name: '人力资源和社会保障局', slug: 'rsj' },
  { name: '应急管理局', slug: 'yjglj' },
  { name: '审计局', slug: 'sjj' },
  { name: '统计局', slug: 'tjj' },
];

export const TOWNSHIPS: readonly NamedSlug[] = [
  { name: '城关镇', slug: 'cgz' },
  { name: '新华街道', slug: 'xhjd' },
  { name: '河东乡', slug: 'hdx' },
  { name: '太平镇', slug: 'tpz' },
  { name: '石桥镇', slug: 'sqz' },
  { name: '龙泉镇', slug: 'lqz' },
  { name: '永安乡', slug: 'yax' },
  { name: '青山镇', slug: 'qsz' },
  { name: '东风街道', slug: 'dfjd' },
  { name: '白沙镇', slug: 'bsz' },
];

/** A province calls its departments 厅 (财政厅), counties and prefectures 局. */
export function departmentName(department: NamedSlug, level: 'province' | 'prefecture' | 'county'): string {
  return level === 'province' ? department.name.replace(/局$/, '厅') : department.name;
}

/** Title phrasings seen on real columns (年度 vs 年, year first, 工作 dropped). */
const TITLE_PATTERNS: readonly ((issuer: string, year: number) => string)[] = [
  (issuer, year) => `${issuer}${year}年政府信息公开工作年度报告`,
  (issuer, year) => `${issuer}${year}年度政府信息公开工作年度报告`,
  (issuer, year) => `${year}年${issuer}政府信息公开工作年度报告`,
  (issuer, year) => `${issuer}${year}年政府信息公开年度报告`,
];

/** The report title of `issuer` for `year` in phrasing number `variant` (any integer). */
export function reportTitle(issuer: string, year: number, variant: number): string {
  return TITLE_PATTERNS[variant % TITLE_PATTERNS.length]!(issuer, year);
}

/** News items whose titles mention the annual report or 政府信息公开 but are not reports (notices, plans, website reports). */
export function decoyNewsTitles(regionName: string, siteName: string, year: number): string[] {
  return [
    `关于做好${year}年政府信息公开工作年度报告编制和发布工作的通知`,
    `${regionName}${year}年政务公开工作要点`,
    `${siteName}门户网站${year - 1}年政府网站工作年度报表`,
    `${regionName}政府信息公开指南（${year}年修订）`,
    `关于印发《${regionName}政府信息公开工作年度报告格式规范》的通知`,
  ];
}

/** Titles of a 政府网站工作年度报表 column (a look-alike column with 年度 in every title). */
export function websiteReportTitles(siteName: string, years: readonly number[]): string[] {
  return years.map((year) => `${siteName}门户网站${year}年政府网站工作年度报表`);
}

/** Titles of a 政府工作报告 column. */
export function workReportTitles(regionName: string, years: readonly number[]): string[] {
  return years.map((year) => `${year + 1}年${regionName}政府工作报告`);
}
