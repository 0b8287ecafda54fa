/**
 * The template's identities (勾稽关系, CONTRACT.md): each failure becomes an `identity` anomaly with the sum of
 * the parts (`expected`) and the total the document prints (`found`). Figures are never altered.
 */
import type { Anomaly } from './types.ts';
import { T3_COLUMNS, T3_RESULT_PREFIXES, T4_COLUMNS, T4_GROUPS } from './keys.ts';

type Values = ReadonlyMap<string, number | null>;

/** Whether a report key takes part in an identity, by the identity anomaly's id (`row_sum:granted`, `balance:total`). */
export function identityCovers(identityId: string, key: string): boolean {
  const [kind, subject] = identityId.split(':') as [string, string];
  const column = key.slice(key.lastIndexOf('.') + 1);
  const row = key.slice(0, key.lastIndexOf('.'));
  if (kind === 'row_sum') return row === `t3.${subject}`;
  if (kind === 't4_sum') return row === `t4.${subject}`;
  if (column !== subject) return false;
  if (kind === 'results_sum') return row === 't3.results_total' || T3_RESULT_PREFIXES.includes(row);
  return kind === 'balance' && ['t3.new_received', 't3.carried_over', 't3.results_total', 't3.carried_forward'].includes(row);
}

/** Sum with blanks as 0; null when every part is blank or missing. */
function sumOf(values: Values, keys: string[]): number | null {
  const present = keys.map((key) => values.get(key)).filter((value): value is number => value !== null && value !== undefined);
  return present.length === 0 ? null : present.reduce((sum, value) => sum + value, 0);
}

/** Rounds away binary noise so 0.1 + 0.2 equals 0.3. */
function same(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}

function check(id: string, identity: string, expected: number | null, found: number | null | undefined, what: string): Anomaly | null {
  if (expected === null || found === null || found === undefined || same(expected, found)) return null;
  return { kind: 'identity', id, identity, expected, found, detail: `${what}: the parts sum to ${expected}, the document prints ${found}` };
}

/** The table-三 rows present in the values, as key prefixes without `t3.` (e.g. `denied.state_secret`). */
function t3Rows(values: Values): string[] {
  const rows = new Set<string>();
  for (const key of values.keys()) {
    const match = /^t3\.(.+)\.total$/.exec(key);
    if (match) rows.add(match[1]!);
  }
  return [...rows];
}

/** 1. Each table-三 row: the six applicant columns sum to 总计. */
function checkRowSums(values: Values): Anomaly[] {
  const parts = T3_COLUMNS.slice(0, 6);
  return t3Rows(values).flatMap((row) => {
    const expected = sumOf(
      values,
      parts.map((column) => `t3.${row}.${column}`),
    );
    return check(`row_sum:${row}`, 'row_sum', expected, values.get(`t3.${row}.total`), `table 三 row ${row}`) ?? [];
  });
}

/** 2. (七) 总计 = the sum of the result rows (一) … (六), per column. */
function checkResultSums(values: Values): Anomaly[] {
  return T3_COLUMNS.flatMap((column) => {
    const expected = sumOf(
      values,
      T3_RESULT_PREFIXES.map((prefix) => `${prefix}.${column}`),
    );
    return check(`results_sum:${column}`, 'results_sum', expected, values.get(`t3.results_total.${column}`), `(七)总计 ${column}`) ?? [];
  });
}

/** 3. 本年新收 + 上年结转 = (七) 总计 + 结转下年度, per column. */
function checkBalances(values: Values): Anomaly[] {
  return T3_COLUMNS.flatMap((column) => {
    const expected = sumOf(values, [`t3.new_received.${column}`, `t3.carried_over.${column}`]);
    const found = sumOf(values, [`t3.results_total.${column}`, `t3.carried_forward.${column}`]);
    return check(`balance:${column}`, 'balance', expected, found, `新收 + 上年结转 vs 总计 + 结转下年度, ${column}`) ?? [];
  });
}

/** 4. Each table-四 group: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计. */
function checkT4Sums(values: Values): Anomaly[] {
  return T4_GROUPS.flatMap((group) => {
    const expected = sumOf(
      values,
      T4_COLUMNS.slice(0, 4).map((column) => `t4.${group}.${column}`),
    );
    return check(`t4_sum:${group}`, 't4_sum', expected, values.get(`t4.${group}.total`), `table 四 ${group}`) ?? [];
  });
}

/** Checks the four identities of CONTRACT.md on a report's values by key; one anomaly per failure. */
export function checkIdentities(values: Values): Anomaly[] {
  return [...checkRowSums(values), ...checkResultSums(values), ...checkBalances(values), ...checkT4Sums(values)];
}
