/**
 * The eval script on a tiny docs/truth folder (scripts/fixtures/eval): one clean report as HTML and as PDF, one
 * with source anomalies whose truth also declares one the document lacks, and one whose truth holds a
 * deliberately wrong figure.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ParsedReport } from '../transform/types.ts';
import { anomalyPointsAt, matchesAnomaly, scoreDocument, type Truth } from './eval-score.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, 'fixtures', 'eval');

function runEval(...args: string[]): { lines: string[]; status: number | null } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'eval.ts'), ...args], {
    encoding: 'utf8',
    cwd: path.join(here, '..'),
  });
  return { lines: result.stdout.trim().split('\n'), status: result.status };
}

test('the eval scores every document kind of a name, counts the wrong truth figure as a silent error and the undeclared anomaly as missed', () => {
  const json = path.join(mkdtempSync(path.join(tmpdir(), 'eval-')), 'result.json');
  const { lines, status } = runEval('--docs', path.join(fixtures, 'docs'), '--truth', path.join(fixtures, 'truth'), '--json', json);
  assert.equal(status, 0);
  // 198 + 198 (clean as HTML and PDF) + 198 (flawed) + 200 (a 2021 report); one cell wrong.
  assert.equal(lines.at(-1), 'eval: accuracy=99.87 cells=794 wrong=1 missed_anomalies=1 silent_errors=1 unflagged_cells=1');
  const written = JSON.parse(readFileSync(json, 'utf8')) as { documents: { entry: string; silentErrors: number }[] };
  assert.deepEqual(
    written.documents.map((document) => [document.entry, document.silentErrors]),
    [
      ['real/flawed-2020.html', 0],
      ['real/wrong-truth-2024.html', 1],
      ['seeds/clean-2020.html', 0],
      ['seeds/clean-2020.pdf', 0],
    ],
  );
});

test('the eval says so and fails when the folders do not exist', () => {
  const { lines, status } = runEval('--docs', path.join(fixtures, 'no-such-folder'));
  assert.equal(status, 1);
  assert.match(lines.at(-1) ?? '', /no documents at/);
});

const truthOf = (cells: Record<string, number | null>): Truth => ({ name: 'x', meta: {}, cells, anomalies: [] });
const reportOf = (cells: Record<string, number | null>, anomalies: ParsedReport['anomalies']): ParsedReport => ({
  sha256: 'x',
  parserVersion: 'test',
  meta: { isReport: true, title: null, year: null, issuer: null, regionName: null, regionCode: null, level: null, format: '2019' },
  cells: Object.entries(cells).map(([key, value]) => ({ key, value, provenance: null })),
  anomalies,
});

test('a wrong cell is silent only in a report that carries no anomaly', () => {
  const truth = truthOf({ 't4.review.total': 3 });
  const quiet = scoreDocument('quiet', truth, reportOf({ 't4.review.total': 2 }, []));
  const flagged = scoreDocument('flagged', truth, reportOf({ 't4.review.total': 2 }, [{ kind: 'layout', id: 'layout:t4', detail: '' }]));
  assert.deepEqual([quiet.cells.wrong.length, quiet.silentErrors], [1, 1]);
  assert.deepEqual([flagged.cells.wrong.length, flagged.silentErrors, flagged.anomalies.spurious], [1, 0, ['layout:t4']]);
});

test('a wrong cell is unflagged unless an anomaly points at it: its cell, row or table, or an identity summing it', () => {
  const truth = truthOf({ 't3.granted.commercial': 3, 't3.granted.total': 3, 't2.fees.change': 1 });
  const wrong = { 't3.granted.commercial': 2, 't3.granted.total': 3, 't2.fees.change': 7 };
  const unflagged = (anomalies: ParsedReport['anomalies']) => scoreDocument('x', truth, reportOf(wrong, anomalies)).unflaggedCells;
  assert.deepEqual(unflagged([]), ['t3.granted.commercial', 't2.fees.change']);
  assert.deepEqual(unflagged([{ kind: 'identity', id: 'row_sum:granted', detail: '' }]), ['t2.fees.change']);
  assert.deepEqual(unflagged([{ kind: 'ocr_uncertain', id: 'ocr_uncertain:results_sum:commercial', detail: '' }]), ['t2.fees.change']);
  assert.deepEqual(unflagged([{ kind: 'missing_cell', id: 'missing_cell:t2.fees', detail: '' }]), ['t3.granted.commercial']);
  // An identity over other cells, or another row of the same table, points elsewhere.
  assert.deepEqual(unflagged([{ kind: 'identity', id: 'row_sum:partial', detail: '' }]), ['t3.granted.commercial', 't2.fees.change']);
  assert.ok(!anomalyPointsAt({ kind: 'ocr_uncertain', id: 'ocr_uncertain:t2.fees.prev_items', detail: '' }, 't2.fees.change'));
  assert.ok(anomalyPointsAt({ kind: 'layout', id: 'layout:t2', detail: '' }, 't2.fees.change'));
});

test('a source anomaly reported row by row matches its table-wide truth entry; identities must agree on expected and found', () => {
  const wide = { kind: 'missing_cell', where: 't3 rows (二) … (四)3 (12 rows)' };
  assert.ok(matchesAnomaly(wide, { kind: 'missing_cell', id: 'missing_cell:t3.partial', detail: '' }));
  assert.ok(!matchesAnomaly(wide, { kind: 'missing_cell', id: 'missing_cell:t4', detail: '' }));
  assert.ok(
    !matchesAnomaly(
      { kind: 'blank_cell', where: 't3.carried_over' },
      { kind: 'blank_cell', id: 'blank_cell:t3.carried_forward', detail: '' },
    ),
  );
  const identity = { kind: 'identity', id: 't4_sum:review', expected: 11, found: 0 };
  assert.ok(matchesAnomaly(identity, { kind: 'identity', id: 't4_sum:review', expected: 11, found: 0, detail: '' }));
  assert.ok(!matchesAnomaly(identity, { kind: 'identity', id: 't4_sum:review', expected: 10, found: 0, detail: '' }));
});
