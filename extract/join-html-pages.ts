/**
 * Multi-page HTML articles: CMSs split a long report into t…_1.html, t…_2.html parts, which the crawler reports as
 * extra documents titled `…（第N页）`. Joined, they read as one document, and a table the CMS cut at a part
 * boundary becomes one table again.
 */
import type { Block, DocumentPage, ExtractedDocument, ExtractWarning, TableBlock } from './types.ts';

/** A pager line CMSs print under each part: 上一页 1 2 3 下一页, 首页 尾页, 共3页. */
const PAGER_LINE = /^(?:[\s|]|上一页|下一页|首页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*页|\d+|[<>«»‹›])+$/;

function columnCount(table: TableBlock): number {
  return Math.max(0, ...table.rows.map((row) => row.length));
}

/** The last table of a part, if nothing but pager lines follows it. */
function trailingTable(blocks: Block[]): TableBlock | null {
  for (let index = blocks.length - 1; index >= 0; index--) {
    const block = blocks[index]!;
    if (block.kind === 'table') return block;
    if (!PAGER_LINE.test(block.text)) return null;
  }
  return null;
}

/**
 * Where the table opening a part is, if only lines the earlier parts already had (the article info a CMS
 * prints on every part) or pager lines come before it.
 */
function leadingTableIndex(blocks: Block[], earlierLines: ReadonlySet<string>): number | null {
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index]!;
    if (block.kind === 'table') return index;
    if (!earlierLines.has(block.text) && !PAGER_LINE.test(block.text)) return null;
  }
  return null;
}

function lineTexts(blocks: Block[]): string[] {
  return blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : []));
}

/** Gives the tables their document-wide index, in reading order. */
function renumberTables(pages: DocumentPage[]): void {
  let next = 0;
  for (const block of pages.flatMap((page) => page.blocks)) if (block.kind === 'table') block.index = next++;
}

/**
 * Joins the parts of one multi-page HTML article, given in page order, into one ExtractedDocument: part N
 * becomes page N (so provenance still says which part a figure came from); when a part opens with a table
 * that has as many columns as the table the previous part ends with, its rows are appended to that table
 * (warning TABLE_JOINED_ACROSS_PAGES). Identity (sha256, extractorVersion, title) is the first part's. The
 * inputs are not modified.
 */
export function joinHtmlPages(documents: ExtractedDocument[]): ExtractedDocument {
  const [first] = documents;
  if (!first) throw new RangeError('joinHtmlPages needs at least one document');
  const pages: DocumentPage[] = [];
  const warnings: ExtractWarning[] = [];
  const earlierLines = new Set<string>();
  documents.forEach((document, partIndex) => {
    const number = partIndex + 1;
    const blocks = structuredClone(document.pages.flatMap((page) => page.blocks));
    warnings.push(...document.warnings.map((warning) => ({ ...warning, page: number })));
    const previous = trailingTable(pages.at(-1)?.blocks ?? []);
    const opening = previous ? leadingTableIndex(blocks, earlierLines) : null;
    const continuation = opening === null ? undefined : blocks[opening];
    if (previous && opening !== null && continuation?.kind === 'table' && columnCount(continuation) === columnCount(previous)) {
      previous.rows.push(...continuation.rows);
      blocks.splice(opening, 1);
      warnings.push({
        code: 'TABLE_JOINED_ACROSS_PAGES',
        message: `the table opening part ${number} continues the last table of part ${number - 1} (${columnCount(previous)} columns): rows appended`,
        page: number,
      });
    }
    for (const text of lineTexts(blocks)) earlierLines.add(text);
    pages.push({ number, blocks });
  });
  renumberTables(pages);
  return { ...first, pages, warnings };
}
