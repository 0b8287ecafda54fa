import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractHtmlString } from './html.ts';
import { joinHtmlPages } from './join-html-pages.ts';
import type { ExtractedDocument, TableBlock } from './types.ts';

const INFO = '<div class="info">来源：示例县人民政府办公室</div>';
const PAGER = '<div id="pages">上一页 1 2 下一页</div>';

function part(content: string, sha256: string): ExtractedDocument {
  return extractHtmlString(
    `<html><head><title>示例县年报</title></head><body>${INFO}<div id="zoom">${content}${PAGER}</div></body></html>`,
    sha256,
  );
}

function rows(cells: string[][]): string {
  return cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
}

const tables = (document: ExtractedDocument) =>
  document.pages.flatMap((page) => page.blocks.filter((block): block is TableBlock => block.kind === 'table'));
const texts = (table: TableBlock | undefined) => table?.rows.map((row) => row.map((cell) => cell.text));

describe('joinHtmlPages', () => {
  const head = [
    ['项目', '自然人', '总计'],
    ['一、本年新收政府信息公开申请数量', '30', '31'],
  ];
  const tail = [
    ['二、上年结转政府信息公开申请数量', '2', '2'],
    ['四、结转下年度继续办理', '1', '1'],
  ];
  const first = part(`<p>一、总体情况：本年度持续推进政务公开工作。</p><table>${rows(head)}</table>`, 'sha-1');
  const second = part(`<table>${rows(tail)}</table><p>五、存在的主要问题及改进情况</p>`, 'sha-2');

  it('joins a table the CMS cut between two parts, even below the article info and pager lines', () => {
    const joined = joinHtmlPages([first, second]);
    assert.deepEqual(tables(joined).map(texts), [[...head, ...tail]]);
    assert.deepEqual(
      tables(joined).map((table) => table.index),
      [0],
    );
    assert.ok(joined.warnings.some((warning) => warning.code === 'TABLE_JOINED_ACROSS_PAGES' && warning.page === 2));
  });

  it('keeps each part as its own page, in order, with the first part’s identity', () => {
    const joined = joinHtmlPages([first, second]);
    assert.deepEqual(
      joined.pages.map((page) => page.number),
      [1, 2],
    );
    assert.equal(joined.sha256, 'sha-1');
    assert.equal(joined.title, first.title);
    const lastLines = joined.pages[1]!.blocks.flatMap((block) => (block.kind === 'line' ? [block.text] : []));
    assert.ok(lastLines.includes('五、存在的主要问题及改进情况'));
  });

  it('drops the metadata table and title every part repeats above the text, and still joins the cut table', () => {
    const metadata = `<table class="xxgk-head">${rows([
      ['索引号', '000-01', '发布机构', '示例县人民政府办公室'],
      ['名称', '示例县年报', '生成日期', '2024-01-20'],
    ])}</table><h1>示例县年报</h1>`;
    const page = (content: string, sha256: string) =>
      extractHtmlString(`<html><body>${metadata}${INFO}<div class="article">${content}${PAGER}</div></body></html>`, sha256);
    const wide = [['三、本年度办理结果', '（一）予以公开', '5', '5']];
    const more = [['三、本年度办理结果', '（二）部分公开', '1', '1']];
    const joined = joinHtmlPages([
      page(`<p>三、收到和处理政府信息公开申请情况</p><table>${rows(wide)}</table>`, 'a'),
      page(`<table>${rows(more)}</table><p>四、结转</p>`, 'b'),
    ]);
    const found = tables(joined).map(texts);
    assert.equal(found.length, 2, 'the metadata table once, the cut table once');
    assert.deepEqual(found[1], [...wide, ...more]);
    const secondPage = joined.pages[1]!.blocks.map((block) => (block.kind === 'line' ? block.text : 'table'));
    assert.deepEqual(secondPage, ['四、结转', '上一页 1 2 下一页'], 'nothing repeated is left above the text of part 2');
  });

  it('keeps tables apart when the next part’s table has another column count, renumbering them', () => {
    const other = part(
      `<table>${rows([
        ['行政复议', '结果维持'],
        ['1', '2'],
      ])}</table>`,
      'sha-3',
    );
    const joined = joinHtmlPages([first, other]);
    assert.deepEqual(
      tables(joined).map((table) => table.index),
      [0, 1],
    );
    assert.equal(joined.warnings.filter((warning) => warning.code === 'TABLE_JOINED_ACROSS_PAGES').length, 0);
  });

  it('keeps tables apart when text comes between them', () => {
    const prose = part(`<p>三、收到和处理政府信息公开申请情况</p><table>${rows(tail)}</table>`, 'sha-4');
    assert.equal(tables(joinHtmlPages([first, prose])).length, 2);
  });

  it('gives the OCRed cells of an image part the page of that part', () => {
    const box = { page: 1, x: 10, y: 20, width: 30, height: 12 };
    const scanned: ExtractedDocument = {
      sha256: 'sha-scan',
      format: 'image',
      extractorVersion: 'image-1',
      title: null,
      pages: [
        {
          number: 1,
          blocks: [{ kind: 'table', index: 0, origin: 'ocr', rows: [[{ text: '7', ocr: { confidence: 91, box, pass: 'digits' } }]] }],
        },
      ],
      warnings: [],
    };
    const joined = joinHtmlPages([part('<p>一、总体情况</p>', 'sha-5'), scanned]);
    assert.deepEqual(
      tables(joined).map((table) => table.rows[0]![0]!.ocr?.box.page),
      [2],
    );
    assert.equal(scanned.pages[0]!.blocks[0]!.kind === 'table' && scanned.pages[0]!.blocks[0]!.rows[0]![0]!.ocr?.box.page, 1);
  });

  it('leaves its inputs unchanged', () => {
    const before = JSON.stringify([first, second]);
    joinHtmlPages([first, second]);
    assert.equal(JSON.stringify([first, second]), before);
  });
});
