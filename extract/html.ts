/**
 * HTML into the Document model with cheerio: the title, the main content as lines in reading order, and every
 * data table as a grid, all on one page in document order.
 */
import * as cheerio from 'cheerio';
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { decodeHtml, type DecodedHtml } from '../shared/charset.ts';
import { scanPage, type PageScan, type TitleSources } from './html-scan.ts';
import { buildTableGrid, ownCells, ownRows } from './html-table.ts';
import type { Block, ExtractedDocument, ExtractWarning } from './types.ts';

export const HTML_EXTRACTOR_VERSION = 'html-4';

/** Where portal CMSs (TRS, Hanweb, UCAP, …) put the article body, most specific first. */
const MAIN_CONTENT = [
  '.TRS_Editor',
  '.trs_editor_view',
  '.TRS_UEDITOR',
  '.Custom_UnionStyle',
  '#zoom',
  '#Zoom',
  '#UCAP-CONTENT',
  '.v_news_content',
  '#vsb_content',
  '.ewb-article-detail',
  '.article-content',
  '.article_content',
  '.news_content',
  '.wzy_content',
  '#article',
  'article',
  'main',
  '#content',
  '.content',
];
const MIN_MAIN_CONTENT_CHARS = 30;
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'caption',
  'center',
  'dd',
  'details',
  'dialog',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'summary',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  'body',
  'html',
]);
/** Characters between which a line break inside a cell is dropped rather than turned into a space. */
const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

interface Collector {
  blocks: Block[];
  /** Inline text of the line being built. */
  pending: string[];
  /** Table counter shared by the whole document (TableBlock.index). */
  tables: { next: number };
  /** Tables with a table inside, from the page scan. */
  tablesHoldingTables: ReadonlySet<Element>;
}

/** Collapses every run of whitespace (including &nbsp; and the ideographic space) to one space, trimmed. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, ' ').trim();
}

function flushLine(collector: Collector): void {
  const text = normalizeWhitespace(collector.pending.join(''));
  collector.pending = [];
  if (text !== '') collector.blocks.push({ kind: 'line', text });
}

/** A table that holds other tables, or a single cell, is page layout: its cells are read as containers. */
function isLayoutTable(table: Element, tablesHoldingTables: ReadonlySet<Element>): boolean {
  if (tablesHoldingTables.has(table)) return true;
  return ownRows(table).flatMap(ownCells).length <= 1;
}

/** Joins a cell's lines: no space between two CJK characters, one space otherwise (HTML and .doc cells alike). */
export function joinCellLines(lines: string[]): string {
  return lines.reduce((joined, line) => {
    if (joined === '') return line;
    const glue = CJK.test(joined.at(-1) ?? '') && CJK.test(line[0] ?? '') ? '' : ' ';
    return joined + glue + line;
  }, '');
}

/** The text of an element whose children are all text nodes, else null. */
function ownText(element: Element): string | null {
  let text = '';
  for (const child of element.children) {
    if (child.type !== 'text') return null;
    text += child.data;
  }
  return text;
}

function cellText($: CheerioAPI, cell: Element, collector: Collector): string {
  // Most cells hold one text node (a figure): skip the walk, which would give the same single line.
  const plain = ownText(cell);
  if (plain !== null) return normalizeWhitespace(plain);
  const inner: Collector = { blocks: [], pending: [], tables: { next: 0 }, tablesHoldingTables: collector.tablesHoldingTables };
  walkChildren($, cell, inner);
  flushLine(inner);
  return joinCellLines(inner.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : [])));
}

function walkTable($: CheerioAPI, table: Element, collector: Collector): void {
  flushLine(collector);
  const caption = $(table).children('caption').first();
  if (caption.length > 0) collector.blocks.push(...linesOf(normalizeWhitespace(caption.text())));
  if (isLayoutTable(table, collector.tablesHoldingTables)) {
    for (const cell of ownRows(table).flatMap(ownCells)) {
      walkChildren($, cell, collector);
      flushLine(collector);
    }
    return;
  }
  const rows = buildTableGrid(table, (cell) => cellText($, cell, collector));
  if (rows.length > 0) collector.blocks.push({ kind: 'table', index: collector.tables.next++, rows, origin: 'html' });
}

function linesOf(text: string): Block[] {
  return text === '' ? [] : [{ kind: 'line', text }];
}

function walkNode($: CheerioAPI, node: AnyNode, collector: Collector): void {
  if (node.type === 'text') {
    collector.pending.push(node.data);
    return;
  }
  if (node.type !== 'tag') return;
  if (node.name === 'br') return flushLine(collector);
  if (node.name === 'table') return walkTable($, node, collector);
  if (node.name === 'caption') return;
  const isBlock = BLOCK_TAGS.has(node.name);
  if (isBlock) flushLine(collector);
  walkChildren($, node, collector);
  if (isBlock) flushLine(collector);
}

function walkChildren($: CheerioAPI, element: Element, collector: Collector): void {
  for (const child of element.children) walkNode($, child, collector);
}

/** Labels of the 信息公开目录 header (索引号, 发布机构, 生成日期 …) that xxgk pages print above the article. */
const METADATA_LABEL =
  /^(索\s*引\s*号|发布机构|发文机关|发文字号|文\s*号|生成日期|成文日期|发布日期|主题分类|公开方式|公开范围|有\s*效\s*性|名\s*称|标\s*题)\s*[:：]?$/;

/** A small table of label–value pairs describing the article (at least two labels), not a table of the article. */
function isMetadataTable($: CheerioAPI, table: Element): boolean {
  const rows = ownRows(table);
  if (rows.length > 6) return false;
  const labels = rows.flatMap(ownCells).filter((cell) => METADATA_LABEL.test(normalizeWhitespace($(cell).text())));
  return labels.length >= 2;
}

/**
 * The first CMS content container that holds every data table of the page (a metadata table above the article
 * does not count); else null (read the body).
 */
function findMainContent($: CheerioAPI, scan: PageScan, metadataTables: ReadonlySet<Element>): Element | null {
  const dataTables = scan.tables.filter((table) => !isLayoutTable(table, scan.tablesHoldingTables) && !metadataTables.has(table));
  for (const candidates of scan.candidates) {
    for (const candidate of candidates) {
      const holdsTables = dataTables.every((table) => cheerio.contains(candidate, table));
      if (holdsTables && normalizeWhitespace($(candidate).text()).length >= MIN_MAIN_CONTENT_CHARS) return candidate;
    }
  }
  return null;
}

/** The title from meta ArticleTitle (TRS, Hanweb), og:title, else <title> (the one in <head> first). */
function findTitle($: CheerioAPI, titles: TitleSources): string | null {
  const candidates = [
    titles.articleTitleMeta?.attribs['content'],
    titles.ogTitleMeta?.attribs['content'],
    (titles.headTitle && $(titles.headTitle).text()) || (titles.anyTitle && $(titles.anyTitle).text()),
  ];
  for (const candidate of candidates) {
    const title = normalizeWhitespace(candidate ?? '');
    if (title !== '') return title;
  }
  return null;
}

/** Article metadata CMSs print next to the body (publishing office, date), e.g. 来源：XX办公室. */
const ARTICLE_INFO = /^(来源|信息来源|发布机构|发布单位|发文机关|发布时间|发布日期)\s*[:：]/;

/** A metadata table's label–value pairs as lines (发布机构：XX办公室), the label cell followed by its value cell. */
function metadataLines($: CheerioAPI, table: Element): string[] {
  return ownRows(table).flatMap((row) => {
    const texts = ownCells(row).map((cell) => normalizeWhitespace($(cell).text()));
    return texts.flatMap((text, index) =>
      METADATA_LABEL.test(text) && texts[index + 1] ? [`${text.replace(/[:：]$/, '')}：${texts[index + 1]}`] : [],
    );
  });
}

/**
 * The article-info lines outside the content container: the parser reads the publishing office from them, and
 * CMSs print them above the body (or in a metadata table) rather than inside it.
 */
function articleInfoLines($: CheerioAPI, scan: PageScan, root: Element, allMetadataTables: ReadonlySet<Element>): Block[] {
  const outside = (element: Element) => !cheerio.contains(root, element);
  const metadataTables = [...allMetadataTables].filter(outside);
  const fromTables = metadataTables.flatMap((table) => metadataLines($, table));
  // Their cells are read as pairs above; one by one they would give a label without its value.
  const inMetadataTables = new Set(metadataTables.flatMap((table) => $(table).find('*').toArray()));
  const fromText = scan.textOnly
    .filter((element) => outside(element) && !inMetadataTables.has(element))
    .map((element) => normalizeWhitespace(ownText(element) ?? $(element).text()));
  const lines = [...fromTables, ...fromText].filter((text) => ARTICLE_INFO.test(text) && text.length <= 80);
  return [...new Set(lines)].map((text) => ({ kind: 'line', text }));
}

/** Extracts already-decoded HTML. */
export function extractHtmlString(html: string, sha256: string): ExtractedDocument {
  const $ = cheerio.load(html);
  const scan = scanPage($.root()[0]!, MAIN_CONTENT);
  const title = findTitle($, scan.titles);
  $(scan.noise).remove();
  const warnings: ExtractWarning[] = [];
  const metadataTables = new Set(scan.tables.filter((table) => isMetadataTable($, table)));
  const main = findMainContent($, scan, metadataTables);
  const collector: Collector = {
    blocks: main ? articleInfoLines($, scan, main, metadataTables) : [],
    pending: [],
    tables: { next: 0 },
    tablesHoldingTables: scan.tablesHoldingTables,
  };
  let root = main;
  if (root === null) {
    $(scan.chrome).remove();
    root = $('body').get(0) ?? null;
  }
  if (root) walkNode($, root, collector);
  flushLine(collector);
  if (collector.blocks.length === 0) warnings.push({ code: 'NO_TEXT', message: 'the HTML page has no visible text', page: 1 });
  return {
    sha256,
    format: 'html',
    extractorVersion: HTML_EXTRACTOR_VERSION,
    title,
    pages: [{ number: 1, blocks: collector.blocks }],
    warnings,
  };
}

/**
 * Extracts an HTML page from its bytes. `contentType` is the HTTP Content-Type: its charset wins over the
 * page's <meta>; without either the bytes decide (UTF-8 if valid, else gb18030).
 */
export function extractHtml(bytes: Uint8Array, sha256: string, contentType: string | null = null): ExtractedDocument {
  return extractDecodedHtml(decodeHtml(bytes, contentType), sha256);
}

/** Extracts a decoded page, warning CHARSET_MISMATCH when its bytes contradicted the charset it declared. */
export function extractDecodedHtml(decoded: DecodedHtml, sha256: string): ExtractedDocument {
  const document = extractHtmlString(decoded.text, sha256);
  if (decoded.mismatch) {
    const { declared, used } = decoded.mismatch;
    document.warnings.push({
      code: 'CHARSET_MISMATCH',
      message: `the page declares charset ${declared} but its bytes are ${used}; decoded as ${used}`,
    });
  }
  return document;
}
