import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { SourceCrawlState } from '../crawlers/crawl-state.ts';
import { readCrawlStarts, recordCrawls, type CrawlRecord, type CrawlStart } from './crawl-states.ts';
import { inTransaction } from './queries.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-crawl-states-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pdf = (name: string) => `http://127.0.0.1:9/${name}.pdf`;

function crawl(runId: string, crawledAt: string, extra: Partial<CrawlRecord> = {}): CrawlRecord {
  const state: SourceCrawlState = {
    version: 2,
    sourceId: 'county',
    crawledAt,
    pages: {
      'GET http://127.0.0.1:9/list.html ': {
        etag: `"${runId}"`,
        lastModified: null,
        discovered: [],
        links: [{ label: 'DETAIL', request: { url: 'http://127.0.0.1:9/t1.html', method: 'GET' }, data: { depth: 1, title: '2024年报' } }],
      },
    },
  };
  const counts = { pagesFetched: 2, pagesNotModified: 0, pagesSkipped: 0, discovered: 1, disappeared: 0, errors: 0, blocked: 0 };
  return {
    runId,
    source: { sourceId: 'county', name: '示例县', regionCode: '620721', level: 'county' },
    state,
    checks: { [pdf('a')]: crawledAt },
    disappeared: [],
    reappeared: [],
    counts,
    ...extra,
  };
}

async function record(file: string, records: CrawlRecord[]): Promise<void> {
  await withWarehouse(file, ({ connection }) => inTransaction(connection, () => recordCrawls(connection, records)));
}

const readCrawlStart = async (file: string, sourceId: string, runId: string): Promise<CrawlStart> =>
  (await readCrawlStarts(file, [{ sourceId, runId }]))[0]!;
const rows = async (file: string, sql: string) => (await runReadOnlySql(file, sql)).rows;

test('a crawl starts from the newest crawl of another run: a retry within a run starts where its first attempt did', async () => {
  const file = path.join(dir, 'start.duckdb');
  assert.deepEqual(await readCrawlStart(file, 'county', 'run-1'), { state: null, checks: {} }, 'no warehouse: a cold start');
  await record(file, [crawl('run-1', '2026-11-30T02:00:00.000Z')]);
  const next = await readCrawlStart(file, 'county', 'run-2');
  assert.deepEqual(next, { state: crawl('run-1', '2026-11-30T02:00:00.000Z').state, checks: { [pdf('a')]: '2026-11-30T02:00:00.000Z' } });
  await record(file, [crawl('run-2', '2026-12-01T02:00:00.000Z')]);
  assert.equal(
    (await readCrawlStart(file, 'county', 'run-2')).state?.crawledAt,
    '2026-11-30T02:00:00.000Z',
    'run-2 retried: its own crawl is not its start',
  );
  assert.equal((await readCrawlStart(file, 'county', 'run-3')).state?.crawledAt, '2026-12-01T02:00:00.000Z');
  assert.deepEqual(await readCrawlStart(file, 'other-source', 'run-3'), { state: null, checks: {} });
  const together = await readCrawlStarts(file, [
    { sourceId: 'county', runId: 'run-3' },
    { sourceId: 'other-source', runId: 'run-3' },
    { sourceId: 'county', runId: 'run-2' },
  ]);
  assert.deepEqual(
    together.map((start) => start.state?.crawledAt ?? null),
    ['2026-12-01T02:00:00.000Z', null, '2026-11-30T02:00:00.000Z'],
    'many crawls in one open, each its own',
  );
});

test('recording a crawl again adds nothing, and only the two newest crawls of a source are kept', async () => {
  const file = path.join(dir, 'prune.duckdb');
  await record(file, [crawl('run-1', '2026-11-29T02:00:00.000Z'), crawl('run-2', '2026-11-30T02:00:00.000Z')]);
  await record(file, [crawl('run-3', '2026-12-01T02:00:00.000Z')]);
  await record(file, [crawl('run-3', '2026-12-01T02:00:00.000Z')]);
  assert.deepEqual(await rows(file, 'select run_id, pages_fetched, discovered from crawl_states order by run_id'), [
    ['run-2', 2, 1],
    ['run-3', 2, 1],
  ]);
  assert.deepEqual(await rows(file, 'select source_id, name, region_code, level from sources'), [['county', '示例县', '620721', 'county']]);
});

test('disappearances are recorded with the crawl; a return only for a URL that vanished before', async () => {
  const file = path.join(dir, 'notices.duckdb');
  await record(file, [crawl('run-1', '2026-11-30T02:00:00.000Z', { disappeared: [pdf('gone')], reappeared: [pdf('new')] })]);
  await record(file, [crawl('run-1', '2026-11-30T02:00:00.000Z', { disappeared: [pdf('gone')], reappeared: [pdf('new')] })]);
  await record(file, [crawl('run-2', '2026-12-01T02:00:00.000Z', { reappeared: [pdf('gone'), pdf('other')] })]);
  assert.deepEqual(await rows(file, 'select url, run_id, noticed_at from document_disappearances'), [
    [pdf('gone'), 'run-1', '2026-11-30T02:00:00.000Z'],
  ]);
  assert.deepEqual(await rows(file, 'select url, run_id from document_reappearances'), [[pdf('gone'), 'run-2']]);
});

test('a warehouse from before crawls were recorded gives a cold start', async () => {
  const file = path.join(dir, 'old.duckdb');
  await withWarehouse(file, ({ connection }) => connection.run('drop table crawl_states').then(() => undefined));
  assert.deepEqual(await readCrawlStart(file, 'county', 'run-1'), { state: null, checks: {} });
});
