/**
 * Multi-page HTML articles: CMSs split a long report into t…_1.html, t…_2.html parts, which the crawler lists with
 * their article and the fetch stage archives one by one. Joined, they read as one document, and a table the CMS cut at a part
 * boundary becomes one table again. The same holds for an article whose report is scanned images: each image is a
 * part, read by OCR (extract/scan.ts), and becomes a page of the article.
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

/** What a block shows, to recognise the same block on another part. */
function signature(block: Block): string {
  return block.kind === 'line' ? `line:${block.text}` : `table:${JSON.stringify(block.rows.map((row) => row.map((cell) => cell.text)))}`;
}

/**
 * How many blocks open a part that are page furniture: pager lines, and lines or tables an earlier part already
 * had (the article info and metadata table a CMS prints on every part). They are dropped from the part.
 */
function repeatedOpening(blocks: Block[], earlier: ReadonlySet<string>): number {
  let count = 0;
  while (count < blocks.length) {
    const block = blocks[count]!;
    if (!earlier.has(signature(block)) && !(block.kind === 'line' && PAGER_LINE.test(block.text))) break;
    count++;
  }
  return count;
}

/** An OCRed cell's box names the page of its part's own image; in the joined document that page is the part's. */
function renumberOcrPages(blocks: Block[], page: number): void {
  for (const block of blocks)
    if (block.kind === 'table') for (const row of block.rows) for (const cell of row) if (cell.ocr) cell.ocr.box.page = page;
}

/** Gives the tables their document-wide index, in reading order. */
function renumberTables(pages: DocumentPage[]): void {
  let next = 0;
  for (const block of pages.flatMap((page) => page.blocks)) if (block.kind === 'table') block.index = next++;
}

/**
 * Joins the parts of one multi-page HTML article, given in page order, into one ExtractedDocument: part N
 * becomes page N (so provenance still says which part a figure came from). What opens a part and an earlier part
 * already had (article info, the metadata table) is dropped; when the part then opens with a table that has as
 * many columns as the table the previous part ends with, its rows are appended to that table (warning
 * TABLE_JOINED_ACROSS_PAGES). Identity (sha256, extractorVersion, title) is the first part's. The inputs are not
 * modified.
 */
export function joinHtmlPages(documents: ExtractedDocument[]): ExtractedDocument {
  const [first] = documents;
  if (!first) throw new RangeError('joinHtmlPages needs at least one document');
  const pages: DocumentPage[] = [];
  const warnings: ExtractWarning[] = [];
  const earlier = new Set<string>();
  documents.forEach((document, partIndex) => {
    const number = partIndex + 1;
    const all = structuredClone(document.pages.flatMap((page) => page.blocks));
    renumberOcrPages(all, number);
    const blocks = partIndex === 0 ? all : all.slice(repeatedOpening(all, earlier));
    warnings.push(...document.warnings.map((warning) => ({ ...warning, page: number })));
    const previous = trailingTable(pages.at(-1)?.blocks ?? []);
    const continuation = blocks[0];
    if (previous && continuation?.kind === 'table' && columnCount(continuation) === columnCount(previous)) {
      previous.rows.push(...continuation.rows);
      blocks.shift();
      warnings.push({
        code: 'TABLE_JOINED_ACROSS_PAGES',
        message: `the table opening part ${number} continues the last table of part ${number - 1} (${columnCount(previous)} columns): rows appended`,
        page: number,
      });
    }
    for (const block of all) earlier.add(signature(block));
    pages.push({ number, blocks });
  });
  renumberTables(pages);
  return { ...first, pages, warnings };
}
