/** Reading figures from cells: signs, units, blanks, full-width digits, markdown residue. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFigure, shiftDecimal, viewRow, type SourceRow } from './rows.ts';
import { parseTable3 } from './table3.ts';
import { checkIdentities } from './identities.ts';

test('signed changes keep their sign whether written 增/减 or +/-', () => {
  assert.deepEqual(
    ['增8', '+8', '减3', '-3', '－3'].map((text) => readFigure(text)?.value),
    [8, 8, -3, -3, -3],
  );
});

test('blank and dash cells are null; text is not a figure', () => {
  assert.equal(readFigure(''), null);
  assert.equal(readFigure(' — '), null);
  assert.equal(readFigure('规章'), undefined);
});

test('full-width digits, thousands separators and bold markers are read as the figure', () => {
  assert.deepEqual(
    ['１２３', '3,119', '**76**'].map((text) => readFigure(text)?.value),
    [123, 3119, 76],
  );
});

test('units are recognised and 万元 shift exactly into 元', () => {
  assert.deepEqual(readFigure('4555.771 万元'), { value: 4555.771, unit: '万元' });
  assert.deepEqual(readFigure('251000元'), { value: 251000, unit: '元' });
  assert.equal(shiftDecimal(4555.771, 4), 45557710);
  assert.equal(shiftDecimal(21207.84, 4), 212078400);
});

test('identities skip blank totals and count blank parts as 0', () => {
  const values = new Map<string, number | null>([
    ['t4.review.upheld', 10],
    ['t4.review.corrected', 1],
    ['t4.review.other', null],
    ['t4.review.pending', 0],
    ['t4.review.total', 0],
    ['t4.litigation_direct.upheld', 3],
    ['t4.litigation_direct.total', null],
  ]);
  assert.deepEqual(
    checkIdentities(values).map(({ id, expected, found }) => ({ id, expected, found })),
    [{ id: 't4_sum:review', expected: 11, found: 0 }],
  );
});

const gridRow = (cells: { text: string; doubtful?: boolean }[]): SourceRow => ({
  page: 1,
  table: 0,
  row: 0,
  cells: cells.map((cell, column) => ({ ...cell, column })),
});

test('a doubtful OCR figure before the label is noise, doubtful text among the figures an unreadable slot', () => {
  const cells = [{ text: '-1', doubtful: true }, { text: '（五）不予处理' }, { text: '1.信访举报投诉类申请' }, { text: '56' }];
  const noisy = viewRow(
    gridRow([...cells, { text: '/7.·电', doubtful: true }, { text: '0' }, { text: '.', doubtful: true }, { text: '62' }]),
  );
  assert.deepEqual(
    [noisy.figureBeforeLabel, noisy.label, noisy.slots.length, noisy.figureCount],
    [false, '(五)不予处理1.信访举报投诉类申请', 5, 3],
  );
  // Read with confidence, the same figure is a serial number and the text a label: the row is some other list's.
  const sure = viewRow(gridRow([{ text: '-1' }, ...cells.slice(1), { text: '/7.·电' }, { text: '0' }]));
  assert.deepEqual([sure.figureBeforeLabel, sure.slots.length], [true, 1]);
});

test('a blank slot before a row of figures is an empty label cell, not a column, even with a figure unreadable', () => {
  const figures = ['10', '2', '0', '0', '0'].map((text) => ({ text }));
  const row = [{ text: '一、本年新收政府信息公开申请数量' }, { text: '' }, ...figures, { text: '.', doubtful: true }, { text: '12' }];
  const table = parseTable3([gridRow(row)]);
  assert.deepEqual(
    ['natural_person', 'commercial', 'other_org', 'total'].map((column) => table.cells.get(`t3.new_received.${column}`)?.value),
    [10, 2, null, 12],
  );
  assert.deepEqual(
    table.anomalies.map((anomaly) => anomaly.kind),
    ['blank_cell'],
  );
});
