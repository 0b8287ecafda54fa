/**
 * The runs page: runs still going, with their live counts from Redis, then the recorded runs from DuckDB with jobs
 * per stage and failures by reason (each linked to the failures behind it), and per-source health.
 */
import type { Pipeline } from '../jobs/pipeline.ts';
import { pingRedis } from '../jobs/redis.ts';
import type { RunState } from '../jobs/run-tracker.ts';
import type { SourceHealth } from '../load/record-run.ts';
import { readRunHistory, type RecordedRun, type SourceHealthRow } from '../load/run-history.ts';
import { Html, duration, type Cell, escapeHtml, layout, link, pathWith, table, timeCell } from './html.ts';
import { summarizeCounters, type RunSummary } from './run-summary.ts';

/** Reload while a run is going, so its counts move; slower when nothing runs. */
const REFRESH_RUNNING_SECS = 5;
const REFRESH_IDLE_SECS = 30;
/** Longest wait for Redis's answer to PING before the page goes on without the runs going. */
const REDIS_TIMEOUT_MS = 2000;

export async function renderRunsPage(pipeline: Pipeline): Promise<string> {
  const zone = pipeline.config.timezone;
  const running = await readRunningRuns(pipeline);
  const history = await readRunHistory(pipeline.config.duckdbPath, { runs: 50, healthRuns: 5 });
  const body = [
    '<h2>Running</h2>',
    running === null
      ? '<p class="bad">Redis does not answer: the runs going are unknown (see <a href="/health">Health</a>); the recorded runs follow.</p>'
      : running.length
        ? runningTable(running, zone)
        : '<p class="muted">No run is going.</p>',
    '<h2>Recorded runs</h2>',
    history ? recordedTable(history.runs, zone) : '<p>No DuckDB file yet: no run has been loaded.</p>',
    '<h2>Source health (last 5 runs)</h2>',
    history ? healthTable(history.health) : '<p class="muted">none</p>',
  ].join('');
  return layout({ title: 'Runs', timezone: zone, refreshSecs: running?.length ? REFRESH_RUNNING_SECS : REFRESH_IDLE_SECS }, body);
}

/**
 * Runs Redis keeps whose summary is not written yet (running, or finished and waiting for the loader), newest first;
 * null when Redis does not answer (the queue connection would wait for it, and the page with it).
 */
async function readRunningRuns(pipeline: Pipeline): Promise<RunState[] | null> {
  if (!(await pingRedis(pipeline.config.redisUrl, REDIS_TIMEOUT_MS))) return null;
  const states = await Promise.all((await pipeline.tracker.recentRunIds()).map((id) => pipeline.tracker.state(id)));
  return states
    .filter((state) => state.status === 'running' || state.status === 'finished')
    .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || b.runId.localeCompare(a.runId));
}

function runningTable(runs: RunState[], zone: string): string {
  const rows = runs.map((run) => {
    const summary = summarizeCounters(run.counts);
    const state = run.cancelledAt ? 'cancelling' : run.status === 'finished' ? 'finished, summary being written' : 'running';
    return [
      runLink(run.runId),
      state,
      timeCell(run.startedAt, zone),
      duration(run.startedAt, run.finishedAt),
      run.pending,
      stagesHtml(summary),
      failuresHtml(run.runId, summary.failures),
      sourcesHtml(summary),
    ];
  });
  return table(['run', 'state', 'started', 'elapsed', 'jobs pending', 'jobs per stage', 'failures by reason', 'sources'], rows, {
    numeric: ['jobs pending'],
  });
}

function recordedTable(runs: RecordedRun[], zone: string): string {
  const rows = runs.map((run) => {
    const summary = summarizeCounters(run.summary);
    // The failures table holds each failure's reason; the summary's counts cover runs recorded before it did.
    const failures = run.failures.length
      ? run.failures.map((failure) => ({ code: failure.code, count: failure.failures, stage: failure.stage }))
      : summary.failures;
    return [
      runLink(run.runId),
      new Html(`<span class="${run.status === 'finished' ? 'ok' : 'warn'}">${escapeHtml(run.status)}</span>`),
      timeCell(run.startedAt, zone),
      timeCell(run.finishedAt, zone),
      duration(run.startedAt, run.finishedAt),
      stagesHtml(summary),
      failuresHtml(run.runId, failures),
      sourcesHtml(summary),
    ];
  });
  return table(['run', 'status', 'started', 'finished', 'took', 'jobs per stage', 'failures by reason', 'sources'], rows);
}

/** The numeric columns of a source's health in a run, as healthCells gives them. */
export const HEALTH_NUMERIC = ['pages', 'reports', 'new', 'changed', 'blocked', 'errors'];

/** A source's health in a run as table cells: HEALTH_NUMERIC, then the flag and the note. */
export function healthCells(row: Omit<SourceHealth, 'sourceId'>): Cell[] {
  const flag = row.flagged ? new Html('<span class="flag">flagged</span>') : '';
  return [row.pagesFetched, row.reportsFound, row.newDocuments, row.changed, row.blocked, row.errors, flag, row.note];
}

function healthTable(health: SourceHealthRow[]): string {
  const rows = health.map((row) => [
    row.runId,
    link(`/sources/${encodeURIComponent(row.sourceId)}`, row.name ? `${row.sourceId} ${row.name}` : row.sourceId),
    ...healthCells(row),
  ]);
  return table(['run', 'source', ...HEALTH_NUMERIC, 'flag', 'note'], rows, { numeric: HEALTH_NUMERIC });
}

const runLink = (runId: string) => link(pathWith('/failures', { run: runId }), runId);

/** `crawl 3 done · fetch 9 done, 1 failed`, one stage a line. */
function stagesHtml(summary: RunSummary): Html {
  if (summary.stages.length === 0) return new Html('<span class="muted">no jobs settled yet</span>');
  const items = summary.stages.map((stage) => {
    const parts = [`${stage.completed} done`];
    if (stage.failed) parts.push(`<span class="bad">${stage.failed} failed</span>`);
    if (stage.cancelled) parts.push(`${stage.cancelled} cancelled`);
    return `<li>${escapeHtml(stage.stage)}: ${parts.join(', ')}</li>`;
  });
  return new Html(`<ul class="counts">${items.join('')}</ul>`);
}

/** Each failure code with its count, linked to those failures of the run. */
function failuresHtml(runId: string, failures: Array<{ code: string; count: number; stage?: string }>): Html {
  if (failures.length === 0) return new Html('<span class="muted">none</span>');
  const items = failures.map((failure) => {
    const where = failure.stage ? ` <span class="muted">(${escapeHtml(failure.stage)})</span>` : '';
    return `<li>${link(pathWith('/failures', { run: runId, code: failure.code }), failure.code).html} × ${failure.count}${where}</li>`;
  });
  return new Html(`<ul class="counts">${items.join('')}</ul>`);
}

function sourcesHtml(summary: RunSummary): string {
  if (summary.sources === 0) return '';
  return `${summary.sources} sources: ${summary.pages} pages, ${summary.discovered} documents found, ${summary.reports} reports`;
}
