/**
 * A run's counters, as the run tracker keeps them in Redis (one hash field each, added to by any worker): per source
 * `source:<id>:<counter>`, and a few run-wide ones. Named here once, with the one reading of them that the run's
 * summary, `yangguang status` and the UI share.
 */

/** What is counted per source: pages requested, documents found, failed and blocked pages, documents gone, documents
 * left alone as unchanged, reports found (unchanged ones included), documents new to the warehouse, changed ones. */
export const SOURCE_COUNTERS = [
  'pages',
  'discovered',
  'errors',
  'blocked',
  'disappeared',
  'unchanged',
  'reports',
  'new',
  'changed',
] as const;
export type SourceCounter = (typeof SOURCE_COUNTERS)[number];
export type SourceCounts = Record<SourceCounter, number>;

/** Run-wide counters: reports and anomalies loaded; `filtered` is set when the run's crawls filter documents (backfill). */
export const RUN_COUNTER = { reports: 'reports', anomalies: 'anomalies', filtered: 'filtered' } as const;

/** A run's counters by field, as the tracker reads them back. */
export type RunCounts = Readonly<Record<string, number>>;

/** The tracker's field of a source's counter. */
export function sourceCounter(sourceId: string, counter: SourceCounter): string {
  return `source:${sourceId}:${counter}`;
}

const SOURCE_FIELD = /^source:(.+):([a-z]+)$/;

/** Each counted source's counts (0 for a counter it never touched), in the order the sources first appear. */
export function sourceCountsOf(counts: RunCounts): Map<string, SourceCounts> {
  const bySource = new Map<string, SourceCounts>();
  for (const [field, value] of Object.entries(counts)) {
    const match = SOURCE_FIELD.exec(field);
    if (!match || !(SOURCE_COUNTERS as readonly string[]).includes(match[2]!)) continue;
    let source = bySource.get(match[1]!);
    if (!source) bySource.set(match[1]!, (source = Object.fromEntries(SOURCE_COUNTERS.map((name) => [name, 0])) as SourceCounts));
    source[match[2] as SourceCounter] = value;
  }
  return bySource;
}

/** Jobs that failed for good, over every stage (`<stage>:failed`). */
export function failedJobs(counts: RunCounts): number {
  return Object.entries(counts)
    .filter(([field]) => field.endsWith(':failed'))
    .reduce((sum, [, value]) => sum + value, 0);
}

/** The status a finished run is recorded with. */
export function runStatus(counts: RunCounts, cancelled: boolean): 'cancelled' | 'finished_with_failures' | 'finished' {
  if (cancelled) return 'cancelled';
  return failedJobs(counts) > 0 ? 'finished_with_failures' : 'finished';
}

/** Why the run's per-source health is not judged, or null when it is: a backfill finds only part of a source's reports. */
export function healthNotJudged(counts: RunCounts): string | null {
  return (counts[RUN_COUNTER.filtered] ?? 0) > 0 ? 'not judged: a filtered crawl (--years/--types)' : null;
}
