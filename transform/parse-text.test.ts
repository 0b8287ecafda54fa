/** parseReport on text lines (PDF text with tabs, pipes and runs of spaces) and their layout traps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { extractText } from '../extract/text.ts';
import { cellKeys } from './keys.ts';
import { parseReport } from './index.ts';
import type { ParsedReport } from './types.ts';

function parseFixture(name: string): ParsedReport {
  return parseReport(extractText(readFileSync(new URL(`./fixtures/parse/${name}`, import.meta.url), 'utf8'), `sha-${name}`));
}

function valuesOf(report: ParsedReport, prefix: string): (number | null)[] {
  return report.cells
    .filter((cell) => cell.key.startsWith(`${prefix}.`) && cell.key.split('.').length === prefix.split('.').length + 1)
    .map((cell) => cell.value);
}

function cell(report: ParsedReport, key: string) {
  const found = report.cells.find((candidate) => candidate.key === key);
  assert.ok(found, `${key} is in the report`);
  return found;
}

const tabbed = parseFixture('tabbed-2020.txt');

test('a tab-separated 2019-format report yields every key of its format, in order', () => {
  assert.equal(tabbed.meta.format, '2019');
  assert.deepEqual(
    tabbed.cells.map((c) => c.key),
    cellKeys('2019'),
  );
});

test('table 二 reads variant headers, full-width digits, bold markers, signed changes and 万元 amounts', () => {
  assert.deepEqual(valuesOf(tabbed, 't2.regulations'), [2, 2, 8]);
  assert.deepEqual(valuesOf(tabbed, 't2.normative_docs'), [76, 76, 147]);
  assert.deepEqual(valuesOf(tabbed, 't2.licensing'), [45, 8, 53]);
  assert.deepEqual(valuesOf(tabbed, 't2.other_services'), [5138, -3898, 0]);
  assert.deepEqual(valuesOf(tabbed, 't2.punishment'), [260, -3, 311]);
  assert.deepEqual(valuesOf(tabbed, 't2.fees'), [12, 1]);
  assert.deepEqual(valuesOf(tabbed, 't2.procurement'), [10, 45557710]);
});

test('a blank cell is null, never 0, and keeps where it stood', () => {
  const change = cell(tabbed, 't2.coercion.change');
  assert.equal(change.value, null);
  assert.deepEqual(change.provenance, { page: 1, line: 19, raw: '' });
});

test('the 权责清单 before the statutory tables is not taken for them', () => {
  assert.deepEqual(cell(tabbed, 't2.licensing.prev_items').provenance, { page: 1, line: 14, raw: '45' });
});

test('table 三 rows are found through split labels, typos, page footers and headers inside the table', () => {
  assert.deepEqual(valuesOf(tabbed, 't3.new_received'), [161, 8, 1, 0, 0, 2, 172]);
  assert.deepEqual(valuesOf(tabbed, 't3.granted'), [26, 0, 0, 0, 0, 0, 26]);
  assert.deepEqual(valuesOf(tabbed, 't3.denied.third_party_rights'), [0, 1, 0, 0, 0, 0, 1]);
  assert.deepEqual(valuesOf(tabbed, 't3.denied.internal_affairs'), [0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(valuesOf(tabbed, 't3.denied.process_info'), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(valuesOf(tabbed, 't3.unable.need_creation'), [27, 1, 1, 0, 0, 0, 29]);
  assert.deepEqual(valuesOf(tabbed, 't3.not_processed.complaint'), [6, 0, 0, 0, 0, 0, 6]);
  assert.deepEqual(valuesOf(tabbed, 't3.not_processed.publications'), [0, 1, 0, 0, 0, 0, 1]);
  assert.deepEqual(valuesOf(tabbed, 't3.carried_forward'), [7, 0, 0, 0, 0, 0, 7]);
});

test('figures on the line after their label, with a blank leading cell, are placed by slot', () => {
  assert.deepEqual(valuesOf(tabbed, 't3.carried_over'), [null, 0, 0, 0, 0, 0, 5]);
  assert.ok(tabbed.anomalies.some((a) => a.id === 'missing_cell:t3.carried_over'));
});

test('a row with a surplus cell is read where the row sum makes it unambiguous, and flagged', () => {
  assert.deepEqual(valuesOf(tabbed, 't3.other'), [19, 1, 0, 0, 0, 0, 20]);
  assert.ok(tabbed.anomalies.some((a) => a.kind === 'extra_cell' && a.id === 'extra_cell:t3.other'));
});

test('table 四 keeps a blank 行政复议 group blank and reads the lawsuits by position', () => {
  assert.deepEqual(valuesOf(tabbed, 't4.review'), [null, null, null, null, null]);
  assert.deepEqual(valuesOf(tabbed, 't4.litigation_direct'), [1, 2, 0, 1, 4]);
  assert.ok(tabbed.anomalies.some((a) => a.kind === 'blank_cell' && a.id === 'blank_cell:t4.review'));
});

test('failed identities are reported with expected and found, and the figures are kept', () => {
  const identities = Object.fromEntries(tabbed.anomalies.filter((a) => a.kind === 'identity').map((a) => [a.id, [a.expected, a.found]]));
  assert.deepEqual(identities, {
    'row_sum:carried_over': [0, 5],
    'row_sum:results_total': [169, 170],
    'results_sum:natural_person': [159, 158],
    'balance:natural_person': [161, 165],
  });
  assert.equal(cell(tabbed, 't3.results_total.total').value, 170);
});

const layout = parseFixture('layout-2022.txt');

test('a pdftotext layout of a 2021-format report reads wrapped labels whose figures sit on another line', () => {
  assert.equal(layout.meta.format, '2021');
  assert.deepEqual(
    layout.cells.map((c) => c.key),
    cellKeys('2021'),
  );
  assert.deepEqual(valuesOf(layout, 't2.normative_docs'), [8, 26, 66]);
  assert.deepEqual(valuesOf(layout, 't2.punishment'), [3985758]);
  assert.deepEqual(valuesOf(layout, 't2.fees'), [96171.6]);
  assert.deepEqual(valuesOf(layout, 't3.partial'), [447, 7, 0, 0, 0, 0, 454]);
  assert.deepEqual(valuesOf(layout, 't3.denied.prohibited_by_law'), [30, 1, 0, 0, 0, 0, 31]);
  assert.deepEqual(valuesOf(layout, 't3.not_processed.confirm_info'), [1, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(valuesOf(layout, 't3.other.overdue_correction'), [67, 3, 0, 0, 1, 0, 71]);
  assert.deepEqual(valuesOf(layout, 't3.other.unpaid_fee'), [6, 0, 0, 0, 0, 0, 6]);
  assert.deepEqual(valuesOf(layout, 't3.other.other'), [108, 2, 0, 0, 0, 0, 110]);
  assert.deepEqual(valuesOf(layout, 't3.carried_forward'), [103, 0, 0, 0, 0, 0, 103]);
});

test('a row after a page break is traced to its page and line', () => {
  assert.deepEqual(cell(layout, 't3.unable.need_creation.total').provenance, { page: 3, line: 0, raw: '11' });
});

test('a table-四 total that disagrees with its parts is an identity anomaly', () => {
  assert.deepEqual(valuesOf(layout, 't4.litigation_after_review'), [12, 1, 1, 6, 0]);
  const anomalies = layout.anomalies.map(({ kind, id, expected, found }) => ({ kind, id, expected, found }));
  assert.deepEqual(anomalies, [{ kind: 'identity', id: 't4_sum:litigation_after_review', expected: 20, found: 0 }]);
});
