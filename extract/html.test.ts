import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it, test } from 'node:test';
import { extractHtml, extractHtmlString } from './html.ts';
import type { Block, LineBlock, TableBlock } from './types.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));

function lines(blocks: Block[]): string[] {
  return blocks.filter((block): block is LineBlock => block.kind === 'line').map((block) => block.text);
}

function tables(blocks: Block[]): TableBlock[] {
  return blocks.filter((block): block is TableBlock => block.kind === 'table');
}

function texts(table: TableBlock): string[][] {
  return table.rows.map((row) => row.map((cell) => cell.text));
}

describe('extractHtml on a GBK page that names its charset only in a <meta>', () => {
  const document = extractHtml(fixture('gbk-meta-only.html'), 'sha-gbk', null);
  const blocks = document.pages[0]!.blocks;

  it('decodes the GBK bytes and takes the <title>', () => {
    assert.equal(document.title, '示范县2022年政府信息公开工作年度报告_示范县人民政府');
    assert.equal(document.format, 'html');
    assert.equal(document.sha256, 'sha-gbk');
    assert.deepEqual(document.warnings, []);
  });

  it('reads the main content as normalised lines, without scripts, nav or footer', () => {
    assert.deepEqual(lines(blocks), [
      '示范县2022年政府信息公开工作年度报告',
      '一、总体情况',
      '本年度，本机关 持续推进政务公开。',
      '第二行文字在换行之后。',
      '三、收到和处理政府信息公开申请情况',
      '四、政府信息公开行政复议、行政诉讼情况',
    ]);
    const all = JSON.stringify(blocks);
    for (const noise of ['不应出现的脚本文字', '首页', '版权所有']) assert.ok(!all.includes(noise), noise);
  });

  it('keeps lines and the table in document order', () => {
    assert.deepEqual(
      blocks.map((block) => block.kind),
      ['line', 'line', 'line', 'line', 'line', 'table', 'line'],
    );
  });

  it('expands rowspan and colspan, marking covered slots as spanned', () => {
    const [table] = tables(blocks);
    assert.ok(table);
    assert.equal(table.origin, 'html');
    assert.equal(table.index, 0);
    const note = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
    assert.deepEqual(texts(table), [
      [note, note, note, '申请人情况', '申请人情况', '申请人情况'],
      [note, note, note, '自然人', '商业企业', '总计'],
      ['一、本年新收政府信息公开申请数量', '一、本年新收政府信息公开申请数量', '一、本年新收政府信息公开申请数量', '17', '', '17'],
      ['三、本年度办理结果', '（一）予以公开', '（一）予以公开', '9', '', '9'],
      ['三、本年度办理结果', '（三）不予公开', '1.属于国家秘密', '2', '', '2'],
    ]);
    assert.deepEqual(
      table.rows[0]!.map((cell) => cell.spanned === true),
      [false, true, true, false, true, true],
    );
    assert.deepEqual(
      table.rows[4]!.map((cell) => cell.spanned === true),
      [true, false, false, false, false, false],
    );
  });

  it('keeps blank cells (empty, &nbsp; or a space) as empty strings', () => {
    const [table] = tables(blocks);
    for (const row of table!.rows.slice(2)) {
      assert.equal(row.length, 6);
      assert.deepEqual(row[4], { text: '' });
    }
  });
});

describe('extractHtml on a UTF-8 page laid out with tables', () => {
  const document = extractHtml(fixture('utf8-layout.html'), 'sha-utf8', 'text/html');
  const blocks = document.pages[0]!.blocks;

  it('prefers the ArticleTitle meta over <title>', () => {
    assert.equal(document.title, '样例市2021年政府信息公开工作年度报告');
  });

  it('reads a layout table as a container and emits only the nested data table', () => {
    const found = tables(blocks);
    assert.equal(found.length, 1);
    assert.deepEqual(texts(found[0]!), [
      ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
      ['规章', '3', '0', '12'],
      ['行政规范性文件', '5', '1'],
    ]);
  });

  it('puts the caption before the table, keeps inline text on one line and drops hidden elements', () => {
    assert.deepEqual(lines(blocks), [
      '样例市人民政府门户网站',
      '样例市2021年政府信息公开工作年度报告',
      '第二十条第（一）项',
      'Hello world, inline text',
    ]);
    const captionIndex = blocks.findIndex((block) => block.kind === 'line' && block.text === '第二十条第（一）项');
    assert.equal(blocks[captionIndex + 1]?.kind, 'table');
  });
});

describe('extractHtml charset decisions', () => {
  const gbkBytes = fixture('gbk-meta-only.html');

  it('lets the Content-Type charset win over the <meta>', () => {
    // A wrong header charset is honoured when the bytes do not contradict it: big5 decodes GBK bytes to other text.
    const document = extractHtml(gbkBytes, 'x', 'text/html; charset=big5');
    assert.notEqual(document.title, '示范县2022年政府信息公开工作年度报告_示范县人民政府');
  });

  it('falls back to gb18030 when nothing is declared and the bytes are not UTF-8', () => {
    const withoutMeta = Buffer.from(gbkBytes)
      .toString('latin1')
      .replace(/<meta[^>]*>/, '');
    const document = extractHtml(new Uint8Array(Buffer.from(withoutMeta, 'latin1')), 'x', null);
    assert.equal(document.title, '示范县2022年政府信息公开工作年度报告_示范县人民政府');
  });

  it('overrules a UTF-8 declaration that the bytes contradict, with a warning', () => {
    const document = extractHtml(gbkBytes, 'x', 'text/html; charset=utf-8');
    assert.equal(document.title, '示范县2022年政府信息公开工作年度报告_示范县人民政府');
    assert.deepEqual(
      document.warnings.map((warning) => warning.code),
      ['CHARSET_MISMATCH'],
    );
  });
});

test('reads past the 信息公开目录 metadata table above the article, keeping its publishing office as an info line', () => {
  const html = `<html><body><table class="xxgk"><tr><td>索引号：</td><td>11350100-2024-00012</td><td>发布机构：</td><td>示例县人民政府办公室</td></tr>
    <tr><td>名称：</td><td colspan="3">示例县2023年政府信息公开工作年度报告</td></tr></table>
    <h1>示例县2023年政府信息公开工作年度报告</h1><div class="nav">首页 &gt; 政务公开</div>
    <div id="zoom"><p>一、总体情况：本年度持续推进政务公开工作，公开质量稳步提升。</p>
    <table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>2</td></tr></table></div></body></html>`;
  const blocks = extractHtmlString(html, 'sha').pages[0]!.blocks;
  assert.deepEqual(
    blocks.map((block) => (block.kind === 'line' ? block.text : `table ${block.rows.length}`)),
    ['发布机构：示例县人民政府办公室', '一、总体情况：本年度持续推进政务公开工作，公开质量稳步提升。', 'table 2'],
  );
});

test('keeps the article-info lines a CMS prints above the body, and nothing else outside it', () => {
  const html = `<html><body><div class="nav">首页 &gt; 政务公开</div>
    <div class="info"><span class="source">来源：示例县人民政府办公室</span> <span>发布时间：2024-03-01</span></div>
    <div class="TRS_Editor"><p>示例县2023年政府信息公开工作年度报告正文第一段，说明本年度工作概况。</p></div>
    <div class="footer">版权所有 示例县人民政府</div></body></html>`;
  const lines = extractHtmlString(html, 'sha').pages[0]!.blocks.map((block) => (block.kind === 'line' ? block.text : 'table'));
  assert.deepEqual(lines, [
    '来源：示例县人民政府办公室',
    '发布时间：2024-03-01',
    '示例县2023年政府信息公开工作年度报告正文第一段，说明本年度工作概况。',
  ]);
});
