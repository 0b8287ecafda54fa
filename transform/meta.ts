/**
 * Report detection and metadata: whether a document is a 政府信息公开工作年度报告, the year it reports on, its title,
 * issuer, region (GB/T 2260), level and table format. Pure: reads only the document and what the crawl knew.
 */
import type { ExtractedDocument } from '../extract/types.ts';
import type { Level, ReportContext, ReportFormat, ReportMeta } from './types.ts';
import {
  fullRegionName,
  getRegion,
  isFunctionalZone,
  isWithin,
  matchRegionName,
  mentionNames,
  readRegionChain,
  regionPath,
  shortRegionName,
  type Region,
} from './regions.ts';
import { toSimplified } from './traditional.ts';

/** The document as compact text: whitespace removed, NFKC-normalised (fullwidth digits, Kangxi radicals). */
interface DocumentText {
  /** Running-text lines in reading order. */
  lines: string[];
  /** Every line and table cell joined without separators, for labels that wrap across lines. */
  joined: string;
}

const REPORT_TITLE = /(?:(?:政府)?信息公开(?:工作)?(?:年度报告|年报|年度工作报告|工作情况的?报告|工作报告)|政务公开(?:工作)?年度报告)/;
/** Pages about reports that are not reports: guides, notices, interpretations, templates, list columns. */
const NOT_REPORT_TITLE = /指南|通知|公告|通告|解读|说明|格式|编制|报送|目录|汇总|考核|评估|测评|报表|征集|意见|方案|要点/;
/** PDF info titles that name the file, not the report. */
const FILE_NAME_TITLE = /^Microsoft|\.(?:docx?|wps|pdf|xlsx?)$/i;
const YEAR = /((?:19|20)\d{2})年/;
/** 统计期限自2021年1月1日起至2021年12月31日止, 从2019年1月1日到12月31日, 2020年1月1月——12月31日. */
const PERIOD = /((?:19|20)\d{2})年1月1[日月](?:起)?(?:至|到|—|-|~|－|――|——)/;
const SECTION_HEADINGS = [
  /总体情况|概述/,
  /主动公开政府信息(?:的)?情况/,
  /收到和处理政府信息公开申请情况|依申请公开政府信息(?:的)?情况/,
  /行政复议.{0,4}行政诉讼/,
  /存在的?主要问题及改进情况|存在的?主要问题和改进措施/,
  /其他需要报告的事项/,
];
/** Labels only one template has, each as its whole or its halves (PDF text splits 本年制发 / 件数). */
const LABELS_2021 = [/本年制发|制发件数/, /本年废止|废止件数/, /现行有效件数/, /本年收费金额/, /逾期不补正/];
const LABELS_2019 = [/本年新制作|新制作数量/, /本年新公开|新公开数量/, /对外公开总数量/, /上一年项目数量/, /采购总金额/];
/** What follows a region name in the name of its government. */
const GOVERNMENT = /^(?:人民政府|政府|行政公署|行署)$/;
/** A government named without its region, as a portal's own reports may be (县人民政府, 本区人民政府). */
const UNNAMED_GOVERNMENT = /^本?[省市县区旗]?(?:人民政府|政府)$/;
/** Levels a government (not one of its departments) may have. */
const GOVERNMENT_LEVELS: ReadonlySet<Level> = new Set(['province', 'prefecture', 'county']);
const ZONE = /管委会|管理委员会|实验区|开发区|新区|高新区|园区|示范区|保税区/;
const TOWNSHIP = /^[\u4e00-\u9fff]{1,8}(?:镇|乡|街道)(?:人民政府|政府|办事处)?$/;
/** How a body's name ends: a government, one of its offices or departments. */
const BODY_SUFFIX =
  /(?:人民政府|政府|办公室|办公厅|局|委员会|委|厅|办|中心|管委会|办事处|镇|乡|街道|院|署|队|所|站|馆|会|处|部|社|行|集团|公司)$/;

/** Digits of years written out (二〇二一年); ○ is the circle some writers use for 〇. */
const CHINESE_DIGITS = new Map([...'〇零○一二三四五六七八九'].map((digit, i) => [digit, String(Math.max(0, i - 2))]));

/** Compact form of a line: simplified characters, no whitespace, NFKC (fullwidth digits and punctuation, Kangxi radicals), 二〇二一年 → 2021年. */
function compact(text: string): string {
  return toSimplified(text.normalize('NFKC'))
    .replace(/\s+/g, '')
    .replace(/([〇零○一二三四五六七八九]{4})年/g, (_, year: string) => `${[...year].map((digit) => CHINESE_DIGITS.get(digit)).join('')}年`);
}

function readDocumentText(doc: ExtractedDocument): DocumentText {
  const lines: string[] = [];
  const parts: string[] = [];
  for (const page of doc.pages) {
    for (const block of page.blocks) {
      if (block.kind === 'line') {
        const line = compact(block.text);
        if (line !== '') lines.push(line);
        parts.push(line);
      } else {
        for (const row of block.rows) for (const cell of row) if (!cell.spanned) parts.push(compact(cell.text));
      }
    }
  }
  return { lines, joined: parts.join('') };
}

/**
 * Which national template the document's tables follow, from their labels alone (本年制发件数 … → 2021,
 * 本年新制作数量 … → 2019); null when neither template's labels appear.
 */
export function detectFormat(doc: ExtractedDocument): '2019' | '2021' | null {
  return readLabels(readDocumentText(doc).joined).format;
}

/** The template whose labels appear most, and how many of its labels did (one may be a word in the prose). */
function readLabels(joined: string): { format: '2019' | '2021' | null; labels: number } {
  const count = (labels: RegExp[]) => labels.filter((label) => label.test(joined)).length;
  const score2021 = count(LABELS_2021);
  const score2019 = count(LABELS_2019);
  if (score2021 === 0 && score2019 === 0) return { format: null, labels: 0 };
  return score2021 >= score2019 ? { format: '2021', labels: score2021 } : { format: '2019', labels: score2019 };
}

/** A title without site suffix (_XX人民政府网), quotes, 关于 and version notes such as （图片版）. */
function cleanTitle(title: string): string {
  return compact(title)
    .split(/_|\||｜/)[0]!
    .replace(/-[^-]*(?:网|政府|门户)$/, '')
    .replace(/^(?:关于)?(?:印发|公布|发布)?/, '')
    .replace(/[《》“”"]/g, '')
    .replace(/\((?:图片版|超链版|修订|更正|修订版|全文|PDF版?|附件)\)$/i, '');
}

function isReportTitle(title: string): boolean {
  return REPORT_TITLE.test(title) && !NOT_REPORT_TITLE.test(title.replace(REPORT_TITLE, ''));
}

interface Heading {
  title: string;
  /** A body name on the line above a title that names none (汤原县人民政府办公室 / 2020年…年度报告). */
  above: string | null;
}

/**
 * The report's heading in the first lines: the first report-like line with a year, else the first without
 * (a column name such as 政府信息公开年报 in a page's navigation has none), with a body name above it.
 */
function findHeading(lines: string[]): Heading | null {
  const head = lines.slice(0, 40);
  const found: Heading[] = [];
  for (let i = 0; i < head.length; i++) {
    // A title may wrap: 示例县2021年政府信息公开工作 / 年度报告.
    const line = isReportTitle(head[i]!) ? head[i]! : head[i]! + (head[i + 1] ?? '');
    if (line.length > 60 || !isReportTitle(line) || /[，。；,;>»]/.test(line)) continue;
    const previous = i > 0 ? head[i - 1]! : null;
    const heading = { title: line, above: previous && looksLikeBodyName(previous) ? previous : null };
    if (YEAR.test(line)) return heading;
    found.push(heading);
  }
  return found[0] ?? null;
}

/** A heading split over two lines (汤原县人民政府办公室 / 2020年…年度报告) read as one title. */
function headingText(heading: Heading): string {
  return heading.above && !readTitle(heading.title).issuer ? heading.above + heading.title : heading.title;
}

function looksLikeBodyName(text: string): boolean {
  if (text.length < 2 || text.length > 40 || /[，。；：,;:、]|\d/.test(text)) return false;
  return readRegionChain(text) !== null || BODY_SUFFIX.test(text);
}

/**
 * Issuer and year as a title states them: 示例县人民政府2021年…, 2019年上海市人民政府办公厅…,
 * 示例县政府信息公开工作年度报告(2021年).
 */
function readTitle(title: string): { issuer: string | null; year: number | null } {
  const yearFirst = /^(.*?)((?:19|20)\d{2})年度?(.*?)(?:政府信息公开|信息公开|政务公开)/.exec(title);
  // A trailing year that is a date (（2022年1月）) is the publication, not the year reported on.
  const yearLast = /^(.*?)(?:政府信息公开|信息公开|政务公开).*?((?:19|20)\d{2})年(?!\d{1,2}月)/.exec(title);
  const match = yearFirst ?? yearLast;
  if (!match) return { issuer: null, year: null };
  const parts = yearFirst ? [yearFirst[1]!, yearFirst[3]!] : [yearLast![1]!];
  const issuer = parts
    .map((part) =>
      part
        .replace(/^关于/, '')
        .replace(/(?:关于|的)$/, '')
        .replace(/人民$/, '人民政府'),
    )
    .find((part) => part.length >= 2 && looksLikeBodyName(part));
  return { issuer: issuer ?? null, year: Number(match[2]) };
}

/** The year reported on: the title, else the statistics period, else the body's opening, else published (or URL date) − 1. */
function readYear(titleYear: number | null, text: DocumentText, context: ReportContext): number | null {
  if (titleYear !== null) return titleYear;
  const period = PERIOD.exec(text.joined);
  if (period) return Number(period[1]);
  const phrase = /((?:19|20)\d{2})年度?(?:政府)?信息公开(?:工作)?年度报告/.exec(text.joined);
  if (phrase) return Number(phrase[1]);
  const opening = text.lines.slice(0, 30).find((line) => /^(?:19|20)\d{2}年(?:度|以来)?[，,]/.test(line));
  if (opening) return Number(opening.slice(0, 4));
  // Published (or filed, as in …/202201/t20220120_…) early in the year after the one reported on.
  const published =
    /^((?:19|20)\d{2})-/.exec(context.publishedAt ?? '') ?? /\/t?((?:19|20)\d{2})(?:0[1-9]|1[0-2])\d{0,2}[/_]/.exec(context.url ?? '');
  return published ? Number(published[1]) - 1 : null;
}

/** 现公布肃南裕固族自治县2020年度政府信息公开工作年度报告 → 肃南裕固族自治县 (lines joined: PDF lines wrap). */
function readOpening(text: DocumentText): string | null {
  const opening = text.lines.slice(0, 20).join('');
  for (const match of opening.matchAll(/([\u4e00-\u9fff()]{2,40}?)(?:19|20)\d{2}年度?(?:政府)?信息公开(?:工作)?年度报告/g)) {
    const name = trailingBodyName(match[1]!);
    if (name) return name;
  }
  return null;
}

/** The longest tail of `text` that starts with a region name and reads as a body name. */
function trailingBodyName(text: string): string | null {
  for (let start = 0; start < text.length - 1; start++) {
    const tail = text.slice(start);
    if (matchRegionName(tail) && looksLikeBodyName(tail)) return tail;
  }
  return null;
}

/** A body named alone on one of the last lines, as reports are signed. */
function readSignature(lines: string[]): string | null {
  for (const line of lines.slice(-6).reverse()) {
    if (line.length <= 30 && readRegionChain(line) && BODY_SUFFIX.test(line) && looksLikeBodyName(line)) return line;
  }
  return null;
}

/** The publishing body an HTML page names: 来源：XX, 发布机构：XX. */
function readSourceLine(lines: string[]): string | null {
  for (const line of lines.slice(0, 20)) {
    // Compact lines run the next field on: 来源:XX办公室时间:2025-03-10.
    const match =
      /(?:来源|信息来源|发布机构|发布单位)[:：]([\u4e00-\u9fff()]{2,40}?)(?=发布时间|时间|发布日期|日期|浏览|点击|字号|作者|阅读|[^\u4e00-\u9fff()]|$)/.exec(
        line,
      );
    if (match && looksLikeBodyName(match[1]!)) return match[1]!;
  }
  return null;
}

/**
 * The region the text speaks of most by a name with its suffix (永善县, 肃南县, not a bare 淮安), the deeper
 * one on a tie: a report speaks of its own county more than of its prefecture.
 */
function readMostMentionedRegion(text: DocumentText): string | null {
  const counts = new Map<string, { count: number; depth: number }>();
  const body = text.lines.join('\n');
  for (let position = 0; position < body.length; position++) {
    const match = matchRegionName(body, position);
    if (!match || match.regions.every((region) => shortRegionName(region.name) === match.name)) continue;
    // 城区, 郊区, 矿区, 东区 are districts' names but also everyday words.
    if (/^.区$/.test(match.name)) continue;
    const depth = Math.max(...match.regions.map((region) => regionPath(region).length));
    const seen = counts.get(match.name) ?? { count: 0, depth };
    counts.set(match.name, { count: seen.count + 1, depth });
    position += match.name.length - 1;
  }
  const ranked = [...counts].sort(([, a], [, b]) => b.count - a.count || b.depth - a.depth);
  return ranked[0]?.[0] ?? null;
}

/** Picks one region among same-named ones by the source's code, then by which parents the text mentions. */
function chooseRegion(candidates: Region[], text: DocumentText, context: ReportContext): Region | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  const source = context.sourceRegionCode ? getRegion(context.sourceRegionCode) : undefined;
  if (source) {
    const related = candidates.filter((region) => isWithin(region, source.code) || isWithin(source, region.code));
    if (related.length === 1) return related[0]!;
  }
  const scored = candidates.map((region) => ({
    region,
    score: regionPath(region)
      .slice(0, -1)
      .flatMap(mentionNames)
      .reduce((sum, name) => sum + countOccurrences(text.joined, name), 0),
  }));
  scored.sort((a, b) => b.score - a.score);
  // On a tie a name of today beats a former one; with nothing to go on, only a sole name of today is taken.
  const top = scored.filter((entry) => entry.score === scored[0]!.score);
  const current = top.filter((entry) => !entry.region.former);
  const pick = top.length === 1 ? top[0]! : current.length === 1 ? current[0]! : null;
  if (!pick) return null;
  return pick.score > 0 || candidates.filter((region) => !region.former).length === 1 ? pick.region : null;
}

function countOccurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * 洪泽区人民政府 → 淮安市洪泽区人民政府 where the document itself writes the county's prefecture before it
 * (county names repeat across the country; prefecture names do not).
 */
function qualifyWithParent(issuer: string, region: Region, text: DocumentText): string {
  const parent = region.parentCode ? getRegion(region.parentCode) : undefined;
  if (region.level !== 'county' || parent?.level !== 'prefecture' || !issuer.startsWith(region.name)) return issuer;
  return text.joined.includes(parent.name + issuer) ? parent.name + issuer : issuer;
}

interface IssuerAnalysis {
  issuer: string;
  region: Region | null;
  level: Level;
}

/** Splits an issuer into its region and the body after it, and names the government when only a region is named. */
function analyseIssuer(reading: string, text: DocumentText, context: ReportContext, sourceLine: string | null): IssuerAnalysis {
  let issuer = reading
    .replace(/^(.+?[省市县区旗州镇乡])政府/, '$1人民政府')
    .replace(/^(.+?[镇乡])$/, '$1人民政府')
    .replace(/^(.+?街道)$/, '$1办事处');
  // 中共示例县委办公室: the region follows the party prefix.
  const party = /^(?:中共|中国共产党)/.exec(issuer)?.[0] ?? '';
  const chain = readRegionChain(issuer.slice(party.length));
  const region = chain ? chooseRegion(chain.candidates, text, context) : null;
  const rest = chain ? issuer.slice(party.length + chain.length) : issuer;
  // 管委会 after the region, or a zone named as the region itself (淮安经济技术开发区); 浦东新区 is a plain district.
  const zone = ZONE.test(rest) || (chain?.candidates.length ? chain.candidates.every(isFunctionalZone) : false);
  if (chain && rest === '') issuer = governmentOf(issuer, zone, sourceLine);
  if (chain && region) issuer = qualifyWithParent(issuer, region, text);
  // Same-named candidates share a level (two 城关区 are both counties) even when the code stays undecided.
  const levels = new Set(chain?.candidates.map((candidate) => candidate.level));
  const regionLevel = region?.level ?? (levels.size === 1 ? [...levels][0]! : null);
  const portalGovernment = portalGovernmentLevel(chain !== null, region, context);
  if (!chain && portalGovernment && UNNAMED_GOVERNMENT.test(rest)) {
    // 县人民政府 on the portal of a government the catalog names: that government, at its level.
    return { issuer: compact(context.sourceName ?? issuer), region: contextRegion(context), level: portalGovernment };
  }
  const governmentItself = chain !== null && (rest === '' || GOVERNMENT.test(rest));
  const level = governmentItself && portalGovernment && !zone ? portalGovernment : levelOf(rest, regionLevel, zone, chain !== null);
  // A region the document names but leaves undecided (two 城关区) is not taken to be the portal's own.
  return { issuer, region: region ?? (chain ? null : contextRegion(context)), level };
}

/**
 * The catalog's level of the portal's government, when the issuer names no region or the portal's own region: a
 * government's report takes its catalog level. Null when the crawl named no government level.
 */
function portalGovernmentLevel(namesRegion: boolean, region: Region | null, context: ReportContext): Level | null {
  if (!context.sourceLevel || !GOVERNMENT_LEVELS.has(context.sourceLevel)) return null;
  return !namesRegion || (region !== null && region.code === context.sourceRegionCode) ? context.sourceLevel : null;
}

/** A zone or a township is `other`; a government has its region's level; any other body is a department. */
function levelOf(rest: string, regionLevel: Level | null, zone: boolean, namesRegion: boolean): Level {
  if (zone || TOWNSHIP.test(rest)) return 'other';
  if (namesRegion && (rest === '' || GOVERNMENT.test(rest))) return regionLevel ?? 'other';
  return BODY_SUFFIX.test(rest) ? 'department' : 'other';
}

/** The portal's own region, for issuers that name none (县财政局, 太平镇人民政府). */
function contextRegion(context: ReportContext): Region | null {
  return (context.sourceRegionCode && getRegion(context.sourceRegionCode)) || null;
}

/**
 * The government of a bare region name: 隆德县 → 隆德县人民政府. A zone is run by a management committee; where its
 * office published the page (来源：平潭综合实验区管委会办公室), the committee is named with that note.
 */
function governmentOf(regionName: string, zone: boolean, sourceLine: string | null): string {
  if (!zone) return `${regionName}人民政府`;
  const office = sourceLine?.startsWith(regionName) ? sourceLine.slice(regionName.length) : '';
  const committee = /^(管委会|管理委员会)办公室$/.exec(office);
  return committee ? `${regionName}${committee[1]}（${office}编制）` : `${regionName}管委会`;
}

/** The issuer as first found: a title, the opening sentence, the signature, a 来源 line, the portal, the body. */
function readIssuer(reportTitles: string[], text: DocumentText, context: ReportContext): string | null {
  for (const title of reportTitles) {
    const issuer = readTitle(title).issuer;
    if (issuer) return issuer;
  }
  const opening = readOpening(text);
  if (opening) return opening;
  const signature = readSignature(text.lines);
  if (signature) return signature;
  const sourceLine = readSourceLine(text.lines);
  if (sourceLine) return sourceLine;
  if (context.sourceName && looksLikeBodyName(compact(context.sourceName))) {
    return compact(context.sourceName);
  }
  const mentioned = readMostMentionedRegion(text);
  return mentioned;
}

function countSections(text: DocumentText): number {
  return SECTION_HEADINGS.filter((heading) => heading.test(text.joined)).length;
}

/** Several report titles of different years on one page: a list, not a report. */
function looksLikeList(lines: string[]): boolean {
  const years = new Set(lines.filter((line) => line.length <= 80 && isReportTitle(line)).map((line) => YEAR.exec(line)?.[1]));
  return years.size >= 3;
}

function isUsableTitle(title: string | null | undefined): title is string {
  return !!title && !FILE_NAME_TITLE.test(title.trim());
}

/**
 * Titles in order of trust: the page's own title unless the list cut it short, the document's heading, the
 * file's embedded title (PDF info titles are often left over from last year's template), the cut page title.
 */
function orderTitles(context: ReportContext, doc: ExtractedDocument, heading: Heading | null): string[] {
  const truncated = /(?:…|\.\.\.)$/.test(context.title?.trim() ?? '');
  const page = isUsableTitle(context.title) ? cleanTitle(context.title) : null;
  const embedded = isUsableTitle(doc.title) ? cleanTitle(doc.title) : null;
  const ordered = [truncated ? null : page, heading ? headingText(heading) : null, embedded, truncated ? page : null];
  return ordered.filter((title): title is string => title !== null);
}

/**
 * Reads a document's report metadata. Never throws: what cannot be read is null, and a document that is not a
 * 政府信息公开工作年度报告 (a 指南, a list page, a notice) comes back with isReport false and the rest as far as read.
 */
export function readReportMeta(doc: ExtractedDocument, context: ReportContext = {}): ReportMeta {
  const text = readDocumentText(doc);
  const heading = findHeading(text.lines);
  const reportTitles = orderTitles(context, doc, heading).filter(isReportTitle);
  const otherTitles = [context.title, doc.title].filter(isUsableTitle).map(cleanTitle);
  const title = reportTitles[0] ?? otherTitles[0] ?? null;

  const labels = readLabels(text.joined);
  const sections = countSections(text);
  const excluded = reportTitles.length === 0 && otherTitles.some((t) => NOT_REPORT_TITLE.test(t.replace(REPORT_TITLE, '')));
  const isReport =
    (labels.format !== null && sections >= 3) ||
    (!excluded && !looksLikeList(text.lines) && (sections >= 3 || (reportTitles.length > 0 && sections >= 1)));

  const titleYear = reportTitles.map((t) => readTitle(t).year).find((y) => y !== null) ?? null;
  const year = readYear(titleYear, text, context);
  const reading = readIssuer(reportTitles, text, context);
  // The publishing office: a 来源 line on the page, else the ContentSource the crawler saw.
  const publisher = readSourceLine(text.lines) ?? (context.sourceName ? compact(context.sourceName) : null);
  const analysis = reading ? analyseIssuer(reading, text, context, publisher) : null;
  // A document that names no issuer at all still lies in its portal's region.
  const region = analysis ? analysis.region : contextRegion(context);

  return {
    isReport,
    title,
    year,
    issuer: analysis?.issuer ?? null,
    regionName: region ? fullRegionName(region) : null,
    regionCode: region?.code ?? null,
    level: analysis?.level ?? null,
    format: isReport ? decideFormat(labels, year) : null,
  };
}

/**
 * Table labels decide when two or more of one template's appear; otherwise the year: before 2019 no national
 * tables, 2019–2020 the 2019 template, then 2021; a lone label only when the year is unknown.
 */
function decideFormat(labels: ReturnType<typeof readLabels>, year: number | null): ReportFormat | null {
  if (labels.format && labels.labels >= 2) return labels.format;
  if (year === null) return labels.format;
  return year < 2019 ? 'pre2019' : year < 2021 ? '2019' : '2021';
}
