/** The run ledger: pure rules of what a run does and how it is counted — backfill filters, which documents to re-check, run counters, source health. */
export { DocumentFilterError, matchesFilter, parseKinds, parseYears, yearInTitle, type DocumentFilter } from './document-filter.ts';
export { planFetches, type DocumentChecks, type RecheckInput, type RecheckPlan } from './recheck-policy.ts';
export {
  RUN_COUNTER,
  SOURCE_COUNTERS,
  failedJobs,
  healthNotJudged,
  runStatus,
  sourceCounter,
  sourceCountsOf,
  type RunCounts,
  type SourceCounter,
  type SourceCounts,
} from './run-counters.ts';
export { COLLAPSE_SHARE, assessSourceHealth, type HealthCounts, type HealthFlag, type PreviousHealth } from './source-health.ts';
