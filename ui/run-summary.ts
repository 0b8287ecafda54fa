/**
 * A run's counters (`fetch:completed`, `failures:HTTP_404`, `source:<id>:pages` …, as the run tracker keeps them and
 * crawl_runs.summary stores them) read back as what people ask of a run: jobs per stage, failures by reason, sources.
 */
import { STAGES } from '../jobs/payloads.ts';

export interface StageCount {
  stage: string;
  completed: number;
  failed: number;
  /** Taken out of a cancelled run before they started. */
  cancelled: number;
}

export interface RunSummary {
  /** The pipeline's stages in order, then any other counter of the same shape; only stages with jobs. */
  stages: StageCount[];
  /** By error code, most frequent first. */
  failures: Array<{ code: string; count: number }>;
  sources: number;
  /** Totals over the sources: pages crawled, documents discovered, reports loaded. */
  pages: number;
  discovered: number;
  reports: number;
}

const OUTCOMES = ['completed', 'failed', 'cancelled'] as const;

export function summarizeCounters(counts: Record<string, number>): RunSummary {
  const stages = new Map<string, StageCount>();
  const failures: RunSummary['failures'] = [];
  const sources = new Set<string>();
  const totals = { pages: 0, discovered: 0, reports: 0 };
  for (const [key, value] of Object.entries(counts)) {
    const parts = key.split(':');
    if (parts[0] === 'failures' && parts.length === 2) {
      if (value > 0) failures.push({ code: parts[1]!, count: value });
    } else if (parts[0] === 'source' && parts.length >= 3) {
      const counter = parts.at(-1)!;
      sources.add(parts.slice(1, -1).join(':'));
      if (counter in totals) totals[counter as keyof typeof totals] += value;
    } else if (parts.length === 2 && (OUTCOMES as readonly string[]).includes(parts[1]!)) {
      const stage = stages.get(parts[0]!) ?? { stage: parts[0]!, completed: 0, failed: 0, cancelled: 0 };
      stage[parts[1] as (typeof OUTCOMES)[number]] += value;
      stages.set(stage.stage, stage);
    }
  }
  const order = (stage: string) => {
    const index = (STAGES as readonly string[]).indexOf(stage);
    return index < 0 ? STAGES.length : index;
  };
  return {
    stages: [...stages.values()]
      .filter((stage) => stage.completed + stage.failed + stage.cancelled > 0)
      .sort((a, b) => order(a.stage) - order(b.stage) || a.stage.localeCompare(b.stage)),
    failures: failures.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    sources: sources.size,
    ...totals,
  };
}
