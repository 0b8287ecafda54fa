/** Small timing helpers shared by the benchmarks (files starting with _ are not benchmarks). */

/** Runs `fn` and returns its result with the wall time in seconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Items per second, rounded to 3 significant decimals by the line formatter. */
export const perSecond = (items: number, seconds: number) => (seconds > 0 ? items / seconds : 0);

/** What a benchmark module (scripts/bench/<name>.ts, exporting `bench()`) resolves to: its key=value fields. */
export type BenchFields = Record<string, number | string>;

/** `bench <name>: key=value …`, numbers with at most 3 decimals. */
export function formatBenchLine(name: string, fields: BenchFields): string {
  const text = (value: number | string) => (typeof value === 'number' ? String(Number(value.toFixed(3))) : value);
  return `bench ${name}: ${Object.entries(fields)
    .map(([key, value]) => `${key}=${text(value)}`)
    .join(' ')}`;
}
