/**
 * Re-processing: runs extract, parse or load again over what is archived — data/raw/<sha256>, data/extracted,
 * data/parsed and DuckDB's documents and sightings — as a new run, without downloading anything.
 */
import type { Config } from '../config/config.ts';
import { dataLayout, extractedPath, parsedPath } from '../config/data-layout.ts';
import type { ArchivedPart, DocumentIssuer, FetchedDocument } from '../shared/document.ts';
import type { Level } from '../shared/types.ts';
import { runNamedReadOnlyQuery } from '../load/index.ts';
import { LOAD_JOB } from './payloads.ts';
import { enqueueJobs, newRunId, type Pipeline } from './pipeline.ts';

export const REPROCESS_STAGES = ['extract', 'parse', 'load'] as const;
export type ReprocessStage = (typeof REPROCESS_STAGES)[number];

export class ReprocessError extends Error {
  readonly code = 'BAD_REPROCESS_REQUEST';
  readonly retryable = false;
}

/** An archived document: its latest sighting, and the versions of its latest extraction and parse. */
interface ArchivedDocument {
  fetched: FetchedDocument;
  extractorVersion: string;
  parserVersion: string | null;
}

/** Enqueues `stage` jobs (which then flow on to the later stages) for every document fetched since `since`. */
export async function enqueueReprocess(
  pipeline: Pipeline,
  stage: ReprocessStage,
  options: { since?: string; runId?: string } = {},
): Promise<{ runId: string; documents: number }> {
  const documents = await archivedDocuments(pipeline.config, options.since);
  const layout = dataLayout(pipeline.config.dataDir);
  const runId = options.runId ?? `reprocess-${stage}-${newRunId()}`;
  const jobs = documents.flatMap(({ fetched, extractorVersion, parserVersion }) => {
    const extracted = extractedPath(layout, fetched.sha256, extractorVersion);
    if (stage === 'extract') return [{ name: 'extract', key: fetched.sha256, data: { runId, fetched } }];
    if (stage === 'parse') return [{ name: 'parse', key: fetched.sha256, data: { runId, fetched, extractedPath: extracted } }];
    if (parserVersion === null) return [];
    const parsed = parsedPath(layout, fetched.sha256, parserVersion);
    return [{ name: LOAD_JOB.document, key: fetched.sha256, data: { runId, fetched, extractedPath: extracted, parsedPath: parsed } }];
  });
  await enqueueJobs(pipeline, runId, stage, jobs);
  return { runId, documents: jobs.length };
}

async function archivedDocuments(config: Config, since: string | undefined): Promise<ArchivedDocument[]> {
  if (since !== undefined && !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(since)) {
    throw new ReprocessError(`--since wants a date or timestamp (2024-01-31, 2024-01-31T08:00:00Z), not "${since}"`);
  }
  const result = await runNamedReadOnlyQuery(config.duckdbPath, 'archived-documents', { since: since ?? null });
  const partsBySha = await archivedParts(config);
  return result.rows.map((row) => {
    const [
      sha256,
      contentType,
      byteLength,
      archivePath,
      extractorVersion,
      sourceId,
      url,
      finalUrl,
      title,
      publishedAt,
      fetchedAt,
      status,
      etag,
      lastModified,
      parserVersion,
      sourceName,
      regionCode,
      level,
    ] = row as (string | number | null)[];
    const fetched: FetchedDocument = {
      sourceId: String(sourceId),
      url: String(url),
      finalUrl: String(finalUrl),
      title: String(title ?? ''),
      publishedAt: publishedAt === null ? null : String(publishedAt),
      fetchedAt: String(fetchedAt),
      status: Number(status),
      contentType: contentType === null ? null : String(contentType),
      sha256: String(sha256),
      byteLength: Number(byteLength),
      archivePath: String(archivePath),
      etag: etag === null ? null : String(etag),
      lastModified: lastModified === null ? null : String(lastModified),
      ...(partsBySha.has(String(sha256)) ? { parts: partsBySha.get(String(sha256))! } : {}),
      // The source as its last crawl described it, so that a re-parse has what the first parse had.
      ...(sourceName == null ? {} : { issuer: issuerOf(String(sourceName), regionCode, level) }),
    };
    return { fetched, extractorVersion: String(extractorVersion), parserVersion: parserVersion === null ? null : String(parserVersion) };
  });
}

function issuerOf(name: string, regionCode: string | number | null | undefined, level: string | number | null | undefined): DocumentIssuer {
  return {
    name,
    ...(regionCode == null ? {} : { regionCode: String(regionCode) }),
    ...(level == null ? {} : { level: String(level) as Level }),
  };
}

/** The archived pages of multi-page articles, by article hash, in page order (none in a warehouse older than 0006). */
async function archivedParts(config: Config): Promise<Map<string, ArchivedPart[]>> {
  const byArticle = new Map<string, ArchivedPart[]>();
  const present = await runNamedReadOnlyQuery(config.duckdbPath, 'table-exists', { name: 'document_parts' });
  if (present.rows.length === 0) return byArticle;
  const result = await runNamedReadOnlyQuery(config.duckdbPath, 'archived-parts');
  for (const [sha256, url, partSha256, byteLength, contentType, archivePath] of result.rows as (string | number | null)[][]) {
    const parts = byArticle.get(String(sha256)) ?? [];
    parts.push({
      url: String(url),
      sha256: String(partSha256),
      byteLength: Number(byteLength),
      contentType: contentType === null ? null : String(contentType),
      archivePath: String(archivePath),
    });
    byArticle.set(String(sha256), parts);
  }
  return byArticle;
}
