/** parseReport on TableBlocks (HTML grids with merged cells expanded and blanks), built directly. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, DocumentPage, ExtractedDocument, TableBlock, TableCell } from '../extract/types.ts';
import { cellKeys } from './keys.ts';
import { parseReport } from './index.ts';

/** A grid row from texts; `>` marks a slot covered by the merged cell to its left, `^` one covered from above. */
function gridRow(texts: string[], above: TableCell[] = []): TableCell[] {
  return texts.map((text, column) => {
    if (text === '>') return { text: '', spanned: true };
    if (text === '^') return { text: above[column]?.text ?? '', spanned: true };
    return { text };
  });
}

function table(index: number, rows: string[][]): TableBlock {
  const grid: TableCell[][] = [];
  for (const row of rows) grid.push(gridRow(row, grid.at(-1)));
  return { kind: 'table', index, origin: 'html', rows: grid };
}

const line = (text: string): Block => ({ kind: 'line', text });
const numbers = (values: (number | '')[]) => values.map(String);
const zeros = (n: number) => numbers(Array.from({ length: n }, () => 0));

const table2 = table(0, [
  ['第二十条第（一）项', '>', '>', '>'],
  ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
  ['规章', '0', '0', '0'],
  ['行政规范性文件', '62', '33', '440'],
  ['第二十条第（五）项', '>', '>', '>'],
  ['信息内容', '本年处理决定数量', '>', '>'],
  ['行政许可', '4529', '>', '>'],
  ['第二十条第（六）项', '>', '>', '>'],
  ['行政处罚', '1100', '>', '>'],
  ['行政强制', '', '>', '>'],
  ['第二十条第（八）项', '>', '>', '>'],
  ['信息内容', '本年收费金额（单位：万元）', '>', '>'],
  ['行政事业性收费', '18651.06', '>', '>'],
]);

const result = (label: string, values: string[]) => ['^', label, '>', ...values];
/** Table 三 split over two pages, (六) kept as one row in a 2021 report. */
const table3a = table(1, [
  ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '>', '>', '申请人情况', '>', '>', '>', '>', '>', '>'],
  ['^', '^', '^', '自然人', '法人或其他组织', '>', '>', '>', '>', '总计'],
  ['^', '^', '^', '^', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '^'],
  ['一、本年新收政府信息公开申请数量', '>', '>', ...numbers([217, 1, 0, 0, 0, 0, 218])],
  ['二、上年结转政府信息公开申请数量', '>', '>', ...numbers([0, 0, 0, 0, 0, 0, 0])],
  ['三、本年度办理结果', '（一）予以公开', '>', ...numbers([71, 0, '', '', 0, 0, 71])],
  result('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', numbers([29, 0, 0, 0, 0, 0, 29])),
  ['^', '（三）不予公开', '1.属于国家秘密', ...numbers([4, 0, 0, 0, 0, 0, 4])],
  ['^', '^', '2.其他法律行政法规禁止公开', ...zeros(7)],
  ['^', '^', '3.危及“三安全一稳定”', ...zeros(7)],
  ['^', '^', '4.保护第三方合法权益', ...numbers([3, 0, 0, 0, 0, 0, 3])],
  ['^', '^', '5.属于三类内部事务信息', ...numbers([32, 0, 0, 0, 0, 0, 32])],
  ['^', '^', '6.属于四类过程性信息', ...zeros(7)],
  ['^', '^', '7.属于行政执法案卷', ...zeros(7)],
  ['^', '^', '8.属于行政查询事项', ...zeros(7)],
]);
const table3b = table(2, [
  ['（四）无法提供', '1.本机关不掌握相关政府信息', ...numbers([75, 0, 0, 0, 0, 0, 75])],
  ['^', '2.没有现成信息需要另行制作', ...zeros(7)],
  ['^', '3.补正后申请内容仍不明确', ...zeros(7)],
  ['（五）不予处理', '1.信访举报投诉类申请', ...zeros(7)],
  ['^', '2.重复申请', ...numbers([1, 0, 0, 0, 0, 0, 1])],
  ['^', '3.要求提供公开出版物', ...zeros(7)],
  ['^', '4.无正当理由大量反复申请', ...zeros(7)],
  ['^', '5.要求行政机关确认或重新出具已获取信息', ...zeros(7)],
  ['（六）其他处理', '>', ...numbers([2, 1, 0, 0, 0, 0, 3])],
  ['（七）总计', '>', ...numbers([217, 1, 0, 0, 0, 0, 218])],
  ['四、结转下年度继续办理', '>', ...zeros(7)],
]);
const table4 = table(3, [
  ['行政复议', '>', '>', '>', '>', '行政诉讼', '>', '>', '>', '>', '>', '>', '>', '>', '>'],
  ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '未经复议直接起诉', '>', '>', '>', '>', '复议后起诉', '>', '>', '>', '>'],
  ['^', '^', '^', '^', '^', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
  numbers([2, 1, 3, 1, 7, '', '', '', '', '', 13, 2, 4, 0, 19]),
]);

const doc: ExtractedDocument = {
  sha256: 'sha-tables',
  format: 'html',
  extractorVersion: 'test',
  title: '示例区2024年政府信息公开工作年度报告',
  warnings: [],
  pages: [
    {
      number: 1,
      blocks: [
        line('示例区2024年政府信息公开工作年度报告'),
        line('二、主动公开政府信息情况'),
        table2,
        line('三、收到和处理政府信息公开申请情况'),
        table3a,
      ],
    },
    { number: 2, blocks: [table3b, line('四、政府信息公开行政复议、行政诉讼情况'), table4] },
  ],
};
const report = parseReport(doc);
const value = (key: string) => report.cells.find((cell) => cell.key === key)?.value;

test('a 2021 report that keeps the one-row (六) has t3.other.* keys and a format anomaly', () => {
  assert.equal(report.meta.format, '2021');
  assert.deepEqual(
    report.cells.map((c) => c.key),
    cellKeys('2021', { oneRowOther: true }),
  );
  assert.deepEqual(
    ['natural_person', 'commercial', 'total'].map((c) => value(`t3.other.${c}`)),
    [2, 1, 3],
  );
  assert.ok(report.anomalies.some((a) => a.kind === 'format' && a.id === 'format:t3.other'));
});

test('merged figure cells are read once and blank cells stay null', () => {
  assert.equal(value('t2.licensing.decisions'), 4529);
  assert.equal(value('t2.coercion.decisions'), null);
  assert.equal(value('t2.fees.amount_wan'), 18651.06);
  assert.deepEqual(
    ['natural_person', 'research', 'social_welfare', 'total'].map((c) => value(`t3.granted.${c}`)),
    [71, null, null, 71],
  );
  assert.ok(report.anomalies.some((a) => a.kind === 'blank_cell' && a.id === 'blank_cell:t3.granted'));
});

test('rows of a table continued on the next page are found with their table, row and column', () => {
  assert.equal(value('t3.unable.not_held.total'), 75);
  const provenance = report.cells.find((cell) => cell.key === 't3.unable.not_held.total')?.provenance;
  assert.deepEqual(provenance, { page: 2, table: 2, row: 0, column: 8, raw: '75' });
});

test('table 四 is read by position, a blank group staying blank', () => {
  assert.deepEqual(
    ['upheld', 'total'].map((c) => value(`t4.review.${c}`)),
    [2, 7],
  );
  assert.deepEqual(
    ['upheld', 'total'].map((c) => value(`t4.litigation_direct.${c}`)),
    [null, null],
  );
  assert.equal(value('t4.litigation_after_review.total'), 19);
  assert.deepEqual(
    report.anomalies.filter((a) => a.kind === 'identity'),
    [],
  );
});

test('a document that is no report gets metadata and no cells', () => {
  const guide: ExtractedDocument = {
    ...doc,
    title: '示例区政府信息公开指南',
    pages: [{ number: 1, blocks: [line('示例区政府信息公开指南'), line('一、主动公开')] }],
  };
  const parsed = parseReport(guide);
  assert.equal(parsed.meta.isReport, false);
  assert.deepEqual(parsed.cells, []);
});

/** The test document with some of table 三's row labels replaced (as OCR garbles them under a seal). */
function withLabels(replacements: Record<string, string>): ExtractedDocument {
  const relabel = (block: Block): Block =>
    block.kind === 'table'
      ? { ...block, rows: block.rows.map((row) => row.map((cell) => ({ ...cell, text: replacements[cell.text] ?? cell.text }))) }
      : block;
  return { ...doc, pages: doc.pages.map((page) => ({ ...page, blocks: page.blocks.map(relabel) })) };
}

test('a table 三 row whose label is unreadable is read by its place between the rows around it, and says so', () => {
  const garbled = parseReport(
    withLabels({ '7.属于行政执法案卷': '7.属于柠致披法囊参', '1.本机关不掌握相关政府信息': '1.本机美不掌雄相关致府缩息' }),
  );
  const garbledValue = (key: string) => garbled.cells.find((cell) => cell.key === key)?.value;
  assert.equal(garbledValue('t3.denied.enforcement_files.total'), 0);
  assert.equal(garbledValue('t3.unable.not_held.total'), 75);
  assert.deepEqual(
    garbled.anomalies.filter((anomaly) => anomaly.id.startsWith('row_by_place:')).map((anomaly) => [anomaly.kind, anomaly.id]),
    [
      ['layout', 'row_by_place:t3.denied.enforcement_files'],
      ['layout', 'row_by_place:t3.unable.not_held'],
    ],
  );
  assert.ok(!report.anomalies.some((anomaly) => anomaly.id.startsWith('row_by_place:')));
});

test('a text line between two table rows (a page number OCR misread) does not stand in for the row between them', () => {
  const relabelled = withLabels({ '1.本机关不掌握相关政府信息': '1.本机美不掌雄相关致府缩息' });
  const [first, second] = relabelled.pages as [DocumentPage, DocumentPage];
  const garbled = parseReport({ ...relabelled, pages: [{ ...first, blocks: [...first.blocks, line('辣\t4')] }, second] });
  assert.equal(garbled.cells.find((cell) => cell.key === 't3.unable.not_held.total')?.value, 75);
  assert.ok(garbled.anomalies.some((anomaly) => anomaly.id === 'row_by_place:t3.unable.not_held'));
});

test('two unreadable labels in a row leave both rows missing: their order alone does not say which is which', () => {
  const garbled = parseReport(withLabels({ '6.属于四类过程性信息': '6.属于四类讨稈柱信怠', '7.属于行政执法案卷': '7.属于柠致披法囊参' }));
  const keys = new Set(garbled.cells.filter((cell) => cell.value !== null).map((cell) => cell.key));
  assert.ok(!keys.has('t3.denied.process_info.total') && !keys.has('t3.denied.enforcement_files.total'));
  assert.ok(!garbled.anomalies.some((anomaly) => anomaly.id.startsWith('row_by_place:')));
});
