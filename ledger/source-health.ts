/** When a source needs a human look: it yields no reports, or far fewer than in its previous run. */

/** A source's health in its latest earlier run (source_health, read by load/known-documents.ts). */
export interface PreviousHealth {
  runId: string;
  reportsFound: number;
  pagesFetched: number;
}

/** A source finding less than this share of its previous run's reports is flagged. */
export const COLLAPSE_SHARE = 0.5;

/** This run's counts of a source that decide its flag. */
export interface HealthCounts {
  /** Reports found, unchanged (not re-processed) ones included. */
  reportsFound: number;
  /** Documents of the previous crawl no longer listed. */
  disappeared: number;
}

/** The flag and its explanation, as stored in source_health. */
export interface HealthFlag {
  flagged: boolean;
  note: string | null;
}

/** Flags a source with no reports, or with fewer than COLLAPSE_SHARE of its previous run's; notes vanished documents. */
export function assessSourceHealth(current: HealthCounts, previous: PreviousHealth | null): HealthFlag {
  const gone = current.disappeared > 0 ? `${current.disappeared} document${current.disappeared === 1 ? '' : 's'} no longer listed` : null;
  const notes = (...parts: (string | null)[]) => parts.filter((part) => part !== null).join('; ');
  if (current.reportsFound === 0) {
    const before = previous && previous.reportsFound > 0 ? ` (previous run: ${previous.reportsFound})` : '';
    return { flagged: true, note: notes(`no reports found${before}`, gone) };
  }
  if (previous && current.reportsFound < previous.reportsFound * COLLAPSE_SHARE) {
    return { flagged: true, note: notes(`reports found fell from ${previous.reportsFound} to ${current.reportsFound}`, gone) };
  }
  return { flagged: false, note: gone };
}
