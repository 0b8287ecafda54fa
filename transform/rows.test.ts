/** Reading figures from cells: signs, units, blanks, full-width digits, markdown residue. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFigure, shiftDecimal } from './rows.ts';
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
