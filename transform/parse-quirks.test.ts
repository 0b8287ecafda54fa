/** parseReport on a pipe-separated report typed in traditional characters, with a short row and a split table 四. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractText } from '../extract/text.ts';
import { parseReport } from './index.ts';
import type { ParsedReport } from './types.ts';

const text = readFileSync(new URL('./fixtures/parse/piped-traditional-2020.txt', import.meta.url), 'utf8');
const parse = (source: string): ParsedReport => parseReport(extractText(source, 'sha-quirks'));
const report = parse(text);

function valuesOf(parsed: ParsedReport, prefix: string): (number | null)[] {
  const depth = prefix.split('.').length + 1;
  return parsed.cells.filter((cell) => cell.key.startsWith(`${prefix}.`) && cell.key.split('.').length === depth).map((cell) => cell.value);
}

test('a report in traditional characters is recognised and read by the simplified labels', () => {
  assert.deepEqual([report.meta.format, report.meta.year, report.meta.issuer], ['2019', 2020, '样例县人民政府']);
  assert.deepEqual(valuesOf(report, 't2.punishment'), [61, -2, 75]);
  assert.deepEqual(valuesOf(report, 't2.procurement'), [7, 3105000]);
  assert.deepEqual(valuesOf(report, 't3.unable.not_held'), [2, 1, 0, 0, 0, 0, 3]);
});

test('markdown pipe rows are split into cells without a blank cell before the first pipe', () => {
  assert.deepEqual(valuesOf(report, 't3.new_received'), [10, 2, 0, 0, 0, 0, 12]);
  assert.deepEqual(report.cells.find((cell) => cell.key === 't3.new_received.natural_person')?.provenance, {
    page: 1,
    line: 24,
    raw: '10',
  });
});

test('a table 二 label followed by its unit in brackets (規章（件）) is still its row', () => {
  assert.deepEqual(valuesOf(report, 't2.regulations'), [1, 1, 6]);
  assert.deepEqual(valuesOf(report, 't2.fees'), [9, -1]);
});

test('a table-四 figure row split over two lines is joined, each figure keeping its own line', () => {
  assert.deepEqual(valuesOf(report, 't4.review'), [2, 1, 0, 0, 3]);
  assert.deepEqual(valuesOf(report, 't4.litigation_after_review'), [0, 0, 0, 0, 0]);
  const lines = ['t4.review.upheld', 't4.litigation_after_review.total'].map(
    (key) => report.cells.find((cell) => cell.key === key)?.provenance?.line,
  );
  assert.equal(lines[1], lines[0]! + 1);
  assert.ok(!report.anomalies.some((anomaly) => anomaly.kind === 'layout' || anomaly.id.includes('t4')));
});

test('a row one figure short is placed only where every reading the identities allow agrees', () => {
  // Six zeros for seven columns: a lost part would be 0 by the row sum; the total may be the lost cell, so null.
  assert.deepEqual(valuesOf(report, 't3.denied.state_secret'), [0, 0, 0, 0, 0, 0, null]);
  assert.ok(report.anomalies.some((anomaly) => anomaly.id === 'missing_cell:t3.denied.state_secret'));
  // Table 四 with 結果糾正 of 行政復議 lost: the later groups only add up in one place; 行政復議 itself stays open.
  const short = parse(
    text.replace(
      /\| 2 \| 1 \| 0 \| 0 \| 3 \| 0 \| 1 \| 0 \| 0 \| 1 \|\n\| 0 \| 0 \| 0 \| 0 \| 0 \|/,
      '| 2 | 0 | 0 | 3 | 0 | 1 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 |',
    ),
  );
  assert.deepEqual(valuesOf(short, 't4.review'), [null, null, null, null, null]);
  assert.deepEqual(valuesOf(short, 't4.litigation_direct'), [0, 1, 0, 0, 1]);
  assert.deepEqual(valuesOf(short, 't4.litigation_after_review'), [0, 0, 0, 0, 0]);
  assert.ok(short.anomalies.some((anomaly) => anomaly.id === 'missing_cell:t4'));
  assert.ok(!short.anomalies.some((anomaly) => anomaly.kind === 'identity'));
});

test('markdown residue — rule rows (---) and bold markers (**) — inside table 三 changes no figure and adds no anomaly', () => {
  const tabbed = readFileSync(new URL('./fixtures/parse/tabbed-2020.txt', import.meta.url), 'utf8');
  const plain = parse(tabbed);
  const residue = tabbed
    .replace('\t2. 重复申请', '---\t---\t---\n\t**2. 重复申请**')
    .replace('(七) 总计\t158', '| --- | --- |\n**(七) 总计**\t158');
  assert.ok(residue.includes('**2. 重复申请**') && residue.includes('**(七) 总计**'));
  const withResidue = parse(residue);
  assert.ok(plain.cells.some((cell) => cell.key === 't3.results_total.total' && cell.value === 170));
  assert.deepEqual(
    withResidue.cells.map((cell) => [cell.key, cell.value]),
    plain.cells.map((cell) => [cell.key, cell.value]),
  );
  assert.deepEqual(
    withResidue.anomalies.map((anomaly) => anomaly.id),
    plain.anomalies.map((anomaly) => anomaly.id),
  );
});

test('a count printed with a fraction is kept as printed and reported; an amount with one is not', () => {
  const fractional = parse(text.replace('| 政府集中採購 | 7 |', '| 政府集中採購 | 7.5 |'));
  assert.deepEqual(valuesOf(fractional, 't2.procurement'), [7.5, 3105000]);
  assert.deepEqual(
    fractional.anomalies.filter((anomaly) => anomaly.kind === 'fractional_count').map((anomaly) => anomaly.id),
    ['fractional_count:t2.procurement.projects'],
  );
  assert.ok(!report.anomalies.some((anomaly) => anomaly.kind === 'fractional_count'));
});
