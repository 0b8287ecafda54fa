/**
 * The failures page (narrowed by run, code, source) and the pages it links to: a failed or archived document (where
 * it was seen, what the parser made of it) and a source (its health per run, its failures).
 */
import type { Config } from '../config/config.ts';
import {
  readDocumentRecord,
  readFailures,
  readSourceRecord,
  type DocumentRecord,
  type FailureFilter,
  type FailureRow,
} from '../load/run-history.ts';
import { OCR_CONFIDENCE_THRESHOLD } from '../transform/ocr-uncertain.ts';
import { Html, escapeHtml, externalLink, fields, layout, link, pathWith, table, timeCell } from './html.ts';
import { HEALTH_NUMERIC, healthCells } from './runs-page.ts';

type PageConfig = Pick<Config, 'duckdbPath' | 'timezone'>;

const SHA256 = /^[0-9a-f]{64}$/;

/** Failed documents, newest first, narrowed by the filter (from the query string), each linked to its document and source. */
export async function renderFailuresPage(config: PageConfig, filter: FailureFilter): Promise<string> {
  const frame = { title: 'Failed documents', timezone: config.timezone };
  const failures = await readFailures(config.duckdbPath, { ...filter, limit: 500 });
  if (!failures) return layout(frame, '<p>No DuckDB file yet: no run has been loaded.</p>');
  const narrowed = Object.entries({ run: filter.runId, code: filter.code, source: filter.sourceId }).filter(([, value]) => value);
  const scope = narrowed.length
    ? `<p>Only ${narrowed.map(([name, value]) => `${name} <code>${escapeHtml(value)}</code>`).join(', ')} · ${link('/failures', 'all failures').html}</p>`
    : '';
  const hint = '<p>Retry a failed job from <a href="/queues">the queues</a> (its failed tab) once its cause is removed.</p>';
  return layout(frame, scope + hint + failuresTable(failures, config.timezone));
}

function failuresTable(failures: FailureRow[], zone: string): string {
  const rows = failures.map((failure) => [
    timeCell(failure.failedAt, zone),
    link(pathWith('/failures', { run: failure.runId }), failure.runId),
    failure.stage,
    sourceLink(failure.sourceId, failure.sourceName),
    link(pathWith('/failures', { run: failure.runId, code: failure.code }), failure.code),
    failure.reason,
    documentCell(failure),
    failure.resolved ? 'resolved' : '',
  ]);
  return table(['failed at', 'run', 'stage', 'source', 'code', 'reason', 'document', ''], rows);
}

/** The document's URL on its portal, and its page here when its bytes were archived. */
function documentCell(failure: FailureRow): Html {
  const archived = failure.sha256 && failure.archived ? ` · ${link(`/documents/${failure.sha256}`, 'archived copy').html}` : '';
  return new Html(externalLink(failure.url).html + archived);
}

function sourceLink(sourceId: string | null, name: string | null): Html | string {
  if (!sourceId) return '';
  return link(`/sources/${encodeURIComponent(sourceId)}`, name ? `${sourceId} ${name}` : sourceId);
}

/** One archived document by its sha256; null (a 404) when the hash is malformed. */
export async function renderDocumentPage(config: PageConfig, sha256: string): Promise<string | null> {
  if (!SHA256.test(sha256)) return null;
  const zone = config.timezone;
  const record = await readDocumentRecord(config.duckdbPath, sha256);
  const frame = { title: `Document ${sha256.slice(0, 12)}…`, timezone: zone };
  if (!record) return layout(frame, '<p>No DuckDB file yet.</p>');
  const { document } = record;
  const about = document
    ? fields([
        ['sha256', document.sha256],
        ['title', document.title],
        ['format', document.format],
        ['text engine', document.engine],
        ...(document.engineFallback ? [['why pdf.js', document.engineFallback] as [string, string]] : []),
        ['content type', document.contentType],
        ['bytes', document.byteLength],
        ['archive', document.archivePath],
        ['first seen', timeCell(document.firstSeenAt, zone)],
      ])
    : '<p>Not in the archive: it failed before its bytes were kept (see its failures below).</p>';
  const sightings = table(
    ['source', 'url', 'final url', 'title', 'published', 'fetched', 'HTTP', 'run'],
    record.sightings.map((seen) => [
      sourceLink(seen.sourceId, seen.sourceName),
      externalLink(seen.url),
      seen.finalUrl === seen.url ? '' : externalLink(seen.finalUrl),
      seen.title,
      seen.publishedAt,
      timeCell(seen.fetchedAt, zone),
      seen.status,
      link(pathWith('/failures', { run: seen.runId }), seen.runId),
    ]),
  );
  const reports = table(
    ['parser', 'annual report', 'issuer', 'region', 'level', 'year', 'template', 'anomalies'],
    record.reports.map((report) => [
      report.parserVersion,
      report.isReport ? 'yes' : 'no',
      report.issuer,
      report.regionName,
      report.level,
      report.year,
      report.format,
      report.anomalies,
    ]),
    { numeric: ['year', 'anomalies'] },
  );
  return layout(
    frame,
    `${about}<h2>Seen at</h2>${sightings}<h2>Parsed as</h2>${reports}${ocrFiguresSection(record.ocrFigures)}` +
      `<h2>Failures</h2>${failuresTable(record.failures, zone)}`,
  );
}

/** Points, rounded for reading: a box is judged by eye against the page. */
const points = (value: number) => Math.round(value);

/**
 * A scanned document's figures as OCR read them: page, box on the straightened page (points), confidence and pass;
 * the ones under the confidence the parser trusts are marked (they raised ocr_uncertain anomalies). Empty for text.
 */
function ocrFiguresSection(figures: DocumentRecord['ocrFigures']): string {
  if (figures.length === 0) return '';
  const low = figures.filter((figure) => figure.confidence < OCR_CONFIDENCE_THRESHOLD).length;
  const summary = `<p>${figures.length} figures read by OCR; ${low} under confidence ${OCR_CONFIDENCE_THRESHOLD} (marked <span class="flag">low</span>).</p>`;
  const rows = figures.map((figure) => [
    figure.key,
    figure.value,
    figure.raw,
    figure.page,
    `${points(figure.boxX)}, ${points(figure.boxY)} · ${points(figure.boxWidth)}×${points(figure.boxHeight)}`,
    figure.confidence < OCR_CONFIDENCE_THRESHOLD
      ? new Html(`<span class="flag">${escapeHtml(Math.round(figure.confidence))} low</span>`)
      : Math.round(figure.confidence),
    figure.pass,
    figure.alternatives,
  ]);
  const columns = ['figure', 'value', 'printed', 'page', 'box (x, y · w×h pt)', 'confidence', 'pass', 'alternatives'];
  return `<h2>Read by OCR</h2>${summary}${table(columns, rows, { numeric: ['value', 'page', 'confidence'] })}`;
}

/** One crawled source: what the warehouse keeps of it, its health in each run, its latest failures. */
export async function renderSourcePage(
  config: PageConfig,
  sourceId: string,
  catalogEntry: { path: string; portalUrl: string } | undefined,
): Promise<string> {
  const zone = config.timezone;
  const frame = { title: `Source ${sourceId}`, timezone: zone };
  const record = await readSourceRecord(config.duckdbPath, sourceId);
  if (!record) return layout(frame, '<p>No DuckDB file yet.</p>');
  const { source } = record;
  const catalog = catalogEntry
    ? `<p>In the national catalog as ${escapeHtml(catalogEntry.path)}: ${externalLink(catalogEntry.portalUrl).html}</p>`
    : '';
  const about = source
    ? fields([
        ['source', source.sourceId],
        ['name', source.name],
        ['region', source.regionCode],
        ['level', source.level],
        ['first seen', timeCell(source.firstSeenAt, zone)],
        ['documents', source.documents],
        ['reports', source.reports],
      ])
    : '<p class="muted">No run has recorded this source yet.</p>';
  const history = table(
    ['run', 'started', ...HEALTH_NUMERIC, 'flag', 'note'],
    record.history.map((row) => [
      link(pathWith('/failures', { run: row.runId, source: sourceId }), row.runId),
      timeCell(row.startedAt, zone),
      ...healthCells(row),
    ]),
    { numeric: HEALTH_NUMERIC },
  );
  return layout(
    frame,
    `${catalog}${about}<h2>Health per run</h2>${history}<h2>Latest failures</h2>${failuresTable(record.failures, zone)}`,
  );
}
