/**
 * Every example analysis in docs/analyses/*.sql, run on the demo data, against the same figures computed here in
 * plain TypeScript from the planted reports (simulator/data/reports.json) — not from the warehouse.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PlantedReportData } from '../simulator/index.ts';
import { getRegion } from '../transform/regions.ts';
import { buildDemoWarehouse } from './fixtures/demo-warehouse.ts';
import { runReadOnlySql } from './sql.ts';

const ANALYSES_DIR = new URL('../docs/analyses/', import.meta.url);
type Row = Record<string, unknown>;

let dir: string;
let file: string;
let planted: PlantedReportData[];
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-analyses-'));
  file = path.join(dir, 'demo.duckdb');
  planted = await buildDemoWarehouse(file);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cell = (report: PlantedReportData, key: string): number | null => report.cells[key] ?? null;
/** SQL's SUM: NULLs ignored, NULL when every value is NULL. */
const sum = (values: Array<number | null>): number | null => {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
};
const totals = (report: PlantedReportData, pattern: RegExp) =>
  sum(
    Object.keys(report.cells)
      .filter((key) => pattern.test(key))
      .map((key) => cell(report, key)),
  );
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);
const groupBy = <T>(items: T[], keyOf: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return [...groups.values()];
};
const summary = (r: PlantedReportData) => ({
  new_requests: cell(r, 't3.new_received.total'),
  granted: cell(r, 't3.granted.total'),
  partial: cell(r, 't3.partial.total'),
  denied: totals(r, /^t3\.denied\..+\.total$/),
  unable: totals(r, /^t3\.unable\..+\.total$/),
  not_processed: totals(r, /^t3\.not_processed\..+\.total$/),
  answered: cell(r, 't3.results_total.total'),
  lawsuits: sum([cell(r, 't4.litigation_direct.total'), cell(r, 't4.litigation_after_review.total')]),
});
const byReason = (prefix: string, exclude?: string) => {
  const out = new Map<string, number | null>();
  for (const report of planted) {
    for (const key of Object.keys(report.cells)) {
      if (!key.startsWith(prefix) || key === exclude) continue;
      const name = key.slice(prefix.length).replace(/\.total$/, '');
      if (prefix.startsWith('t3.denied') && !key.endsWith('.total')) continue;
      out.set(name, sum([out.get(name) ?? null, cell(report, key)]));
    }
  }
  const all = sum([...out.values()]);
  return [...out].map(([name, value]) => ({ name, value, share: ratio(value, all) }));
};

/** The expected rows of each analysis (columns by name; rounded columns compared to their rounding). */
const expectations: Record<string, () => Row[]> = {
  '01-top-issuers-by-requests.sql': () =>
    planted
      .filter((r) => cell(r, 't3.new_received.total') !== null)
      .map((r) => ({ issuer: r.issuer, year: r.year, new_requests: cell(r, 't3.new_received.total') }))
      .sort((a, b) => b.new_requests! - a.new_requests! || compare(a.issuer, b.issuer))
      .slice(0, 10),
  '02-grant-rate-by-province-and-year.sql': () =>
    groupBy(planted, (r) => `${r.regionCode.slice(0, 2)}|${r.year}`).map((group) => {
      const granted = sum(group.map((r) => summary(r).granted));
      const answered = sum(group.map((r) => summary(r).answered));
      return {
        province: getRegion(`${group[0]!.regionCode.slice(0, 2)}0000`)!.name,
        year: group[0]!.year,
        reports: group.length,
        granted,
        answered,
        grant_rate: ratio(granted, answered),
      };
    }),
  '03-refusal-reasons-mix.sql': () => byReason('t3.denied.').map(({ name, value, share }) => ({ reason: name, refused: value, share })),
  '04-lawsuits-per-100-requests.sql': () =>
    planted
      .filter((r) => (summary(r).new_requests ?? 0) > 0)
      .map((r) => {
        const s = summary(r);
        const per100 = s.lawsuits === null ? null : (100 * s.lawsuits) / s.new_requests!;
        return { issuer: r.issuer, year: r.year, lawsuits: s.lawsuits, new_requests: s.new_requests, lawsuits_per_100: per100 };
      }),
  '05-reports-failing-identities.sql': () =>
    planted
      .filter((r) => r.anomalies.length > 0)
      .map((r) => ({
        issuer: r.issuer,
        year: r.year,
        failures: r.anomalies.length,
        anomaly_ids: r.anomalies
          .map((a) => a.id)
          .sort(compare)
          .join(','),
      })),
  '06-outcomes-by-year.sql': () =>
    groupBy(planted, (r) => String(r.year)).map((group) => {
      const of = (name: keyof ReturnType<typeof summary>) => sum(group.map((r) => summary(r)[name]));
      return {
        year: group[0]!.year,
        granted: of('granted'),
        partial: of('partial'),
        denied: of('denied'),
        unable: of('unable'),
        not_processed: of('not_processed'),
        answered: of('answered'),
      };
    }),
  '07-who-asks.sql': () =>
    byReason('t3.new_received.', 't3.new_received.total').map(({ name, value, share }) => ({ applicant: name, requests: value, share })),
  '08-review-correction-rate.sql': () =>
    planted.flatMap((r) => {
      const [upheld, corrected, other] = ['upheld', 'corrected', 'other'].map((m) => cell(r, `t4.review.${m}`) ?? 0) as [
        number,
        number,
        number,
      ];
      const decided = upheld + corrected + other;
      const raw = cell(r, 't4.review.corrected');
      return decided > 0
        ? [{ issuer: r.issuer, year: r.year, decided, corrected: raw, correction_rate: raw === null ? null : raw / decided }]
        : [];
    }),
  '09-backlog.sql': () =>
    planted.map((r) => {
      const workload = (cell(r, 't3.new_received.total') ?? 0) + (cell(r, 't3.carried_over.total') ?? 0);
      const forward = cell(r, 't3.carried_forward.total');
      return { issuer: r.issuer, year: r.year, workload, carried_forward: forward, backlog_share: ratio(forward, workload) };
    }),
  '10-blank-cells.sql': () =>
    planted.flatMap((r) => {
      const blanks = Object.keys(r.cells).filter((key) => r.cells[key] === null);
      const tables = [...new Set(blanks.map((key) => key.split('.')[0]!))].sort(compare).join(',');
      return blanks.length > 0 ? [{ issuer: r.issuer, year: r.year, blank_cells: blanks.length, tables }] : [];
    }),
  '11-requests-by-level.sql': () =>
    groupBy(planted, (r) => `${r.level}|${r.year}`).map((group) => {
      const requests = sum(group.map((r) => summary(r).new_requests));
      return {
        level: group[0]!.level,
        year: group[0]!.year,
        reports: group.length,
        new_requests: requests,
        per_report: ratio(requests, group.length),
      };
    }),
  '12-unheld-information.sql': () =>
    planted
      .filter((r) => (summary(r).answered ?? 0) > 0)
      .map((r) => {
        const notHeld = cell(r, 't3.unable.not_held.total');
        return {
          issuer: r.issuer,
          year: r.year,
          not_held: notHeld,
          answered: summary(r).answered,
          not_held_share: ratio(notHeld, summary(r).answered),
        };
      }),
};

/** Code-point order, as DuckDB compares VARCHAR. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Equal as values; a number in `actual` may be the SQL's rounding (to 2 or 4 decimals) of the expected one. */
function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') {
    return [Infinity, 4, 2].some((digits) => Math.abs(actual - round(expected, digits)) < 1e-9);
  }
  return actual === expected;
}

const round = (value: number, digits: number) => (digits === Infinity ? value : Math.round(value * 10 ** digits) / 10 ** digits);

function assertSameRows(actual: Row[], expected: Row[], name: string): void {
  const key = (row: Row) =>
    JSON.stringify(
      Object.entries(row)
        .filter(([, v]) => typeof v === 'string' || Number.isInteger(v))
        .slice(0, 2),
    );
  const byKey = new Map(expected.map((row) => [key(row), row]));
  assert.equal(actual.length, expected.length, `${name}: ${JSON.stringify(actual)} vs ${JSON.stringify(expected)}`);
  for (const row of actual) {
    const want = byKey.get(key(row));
    assert.ok(want, `${name}: unexpected row ${JSON.stringify(row)}`);
    assert.deepEqual(Object.keys(row), Object.keys(want), `${name}: columns`);
    for (const column of Object.keys(want)) {
      assert.ok(
        sameValue(row[column], want[column]),
        `${name}: ${key(row)} ${column} = ${String(row[column])}, expected ${String(want[column])}`,
      );
    }
  }
}

test('docs/analyses holds at least ten analyses, each with a header comment and an expectation here', () => {
  const files = readdirSync(ANALYSES_DIR)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  assert.ok(files.length >= 10, `${files.length} analyses`);
  assert.deepEqual(files, Object.keys(expectations).sort());
  for (const name of files) assert.match(readFileSync(new URL(name, ANALYSES_DIR), 'utf8'), /^-- .+: /, `${name} opens with a comment`);
});

for (const [name, expected] of Object.entries(expectations)) {
  test(`analysis ${name} gives the figures computed from the planted reports`, async () => {
    const result = await runReadOnlySql(file, readFileSync(new URL(name, ANALYSES_DIR), 'utf8'));
    const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
    assert.ok(rows.length > 0, `${name} returns rows on the demo data`);
    assertSameRows(rows, expected(), name);
  });
}
