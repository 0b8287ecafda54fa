/**
 * Job payloads arrive through Redis and are checked before a processor touches anything: the schemas on their own,
 * then one hostile extract job through real queues and workers (INVALID_JOB at once, recorded, no file written).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../config/config.ts';
import { dataLayout, extractedPath, parsedPath, rawPath } from '../config/data-layout.ts';
import { runReadOnlySql } from '../load/index.ts';
import { retryWhileLocked } from '../load/retry-locked.ts';
import { InvalidJobError, LOAD_JOB, validateJobData, type Stage } from './payloads.ts';
import { INVALID_JOBS_RUN, startWorkers, type Pipeline } from './pipeline.ts';
import { openTestPipeline, waitFor, type TestPipeline } from './test-support.ts';

const SHA = 'ab'.repeat(32);
let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  // The data dir one level down, so that a hostile job can name a file beside it, still inside the temp dir.
  fixture = await openTestPipeline('payloads', (root) => ({ dataDir: path.join(root, 'data') }));
  ({ dir, config, pipeline } = fixture);
});

after(() => fixture?.close());

const layout = () => dataLayout(config.dataDir);

function fetched(changes: Record<string, unknown> = {}) {
  return {
    sourceId: 'gov-320804',
    url: 'https://www.example.gov.cn/nb/a.pdf',
    finalUrl: 'https://www.example.gov.cn/nb/a.pdf',
    title: '年报',
    publishedAt: null,
    fetchedAt: '2026-12-01T00:00:00.000Z',
    status: 200,
    contentType: 'application/pdf',
    sha256: SHA,
    byteLength: 10,
    archivePath: rawPath(layout(), SHA),
    etag: null,
    lastModified: null,
    ...changes,
  };
}

const source = (changes: Record<string, unknown> = {}) => ({
  id: 'gov-320804',
  name: '淮阴区人民政府',
  startUrls: ['https://www.example.gov.cn/nb/'],
  allowedHosts: ['www.example.gov.cn'],
  ...changes,
});
const discovered = (url: string) => ({
  sourceId: 'gov-320804',
  url,
  title: '年报',
  kindHint: 'pdf',
  foundOn: 'https://www.example.gov.cn/nb/',
  publishedAt: null,
});

/** The reason validation gives, or null when the data passes. */
function refusal(stage: Stage, name: string, data: unknown): string | null {
  try {
    validateJobData(config, stage, name, data);
    return null;
  } catch (error) {
    assert.ok(error instanceof InvalidJobError);
    assert.equal(error.code, 'INVALID_JOB');
    assert.equal(error.retryable, false);
    return error.message;
  }
}

describe('job schemas', () => {
  test("accept what the pipeline's own stages pass on", () => {
    const extracted = extractedPath(layout(), SHA, 'pdf-3');
    assert.equal(
      refusal('crawl', 'crawl', {
        runId: '20261201T020000-abc123',
        source: source(),
        filter: { years: { from: 2019, to: 2024 }, kinds: ['pdf'] },
      }),
      null,
    );
    assert.equal(
      refusal('fetch', 'fetch', {
        runId: 'r1',
        document: discovered('https://www.example.gov.cn/nb/a.pdf'),
        previous: { etag: null, lastModified: null, sha256: SHA, isReport: true },
      }),
      null,
    );
    assert.equal(refusal('extract', 'extract', { runId: 'reprocess-extract-r1', fetched: fetched() }), null);
    assert.equal(refusal('parse', 'parse', { runId: 'r1', fetched: fetched(), extractedPath: extracted }), null);
    assert.equal(
      refusal('load', LOAD_JOB.document, {
        runId: 'r1',
        fetched: fetched(),
        extractedPath: extracted,
        parsedPath: parsedPath(layout(), SHA, '1.0.0'),
      }),
      null,
    );
    assert.equal(
      refusal('load', LOAD_JOB.failure, {
        runId: 'r1',
        stage: 'fetch',
        url: 'x',
        sha256: null,
        sourceId: null,
        code: 'HTTP_404',
        reason: 'gone',
      }),
      null,
    );
    const part = (sha256: string) => ({
      url: 'https://www.example.gov.cn/t1.html',
      sha256,
      byteLength: 5,
      archivePath: rawPath(layout(), sha256),
      contentType: 'text/html',
    });
    assert.equal(
      refusal('extract', 'extract', {
        runId: 'r1',
        fetched: fetched({ archivePath: rawPath(layout(), 'cd'.repeat(32)), parts: [part('cd'.repeat(32)), part('ef'.repeat(32))] }),
      }),
      null,
    );
  });

  const hostile: [string, Stage, string, () => unknown, RegExp][] = [
    [
      'an archive path outside the data directory and a hash that climbs',
      'extract',
      'extract',
      () => ({ runId: 'r1', fetched: fetched({ archivePath: '/etc/passwd', sha256: '../../../../outside/x' }) }),
      /fetched\.sha256: must be 64 lower-case hex digits \(got "\.\.\/.*fetched\.archivePath: must be .*raw\/<sha256>/,
    ],
    [
      "an archive path that is not the hash's",
      'extract',
      'extract',
      () => ({ runId: 'r1', fetched: fetched({ archivePath: path.join(layout().rawDir, '..', '..', 'x') }) }),
      /archivePath: must be .*the archive's path of its sha256/,
    ],
    [
      'a part outside the archive',
      'extract',
      'extract',
      () => ({
        runId: 'r1',
        fetched: fetched({ parts: [{ url: 'https://a.cn/', sha256: SHA, byteLength: 1, archivePath: '/etc/passwd', contentType: null }] }),
      }),
      /parts\.0\.archivePath/,
    ],
    [
      'an extracted file outside data/extracted',
      'parse',
      'parse',
      () => ({ runId: 'r1', fetched: fetched(), extractedPath: '/etc/passwd' }),
      /extractedPath: must be a file directly in/,
    ],
    [
      "another document's extracted file",
      'parse',
      'parse',
      () => ({ runId: 'r1', fetched: fetched(), extractedPath: extractedPath(layout(), 'cd'.repeat(32), 'pdf-3') }),
      /extractedPath: must be named <fetched\.sha256>/,
    ],
    [
      'a parsed file outside data/parsed',
      'load',
      LOAD_JOB.document,
      () => ({
        runId: 'r1',
        fetched: fetched(),
        extractedPath: extractedPath(layout(), SHA, 'pdf-3'),
        parsedPath: path.join(layout().parsedDir, '..', '..', `${SHA}.1.json`),
      }),
      /parsedPath/,
    ],
    [
      'a file: URL',
      'fetch',
      'fetch',
      () => ({ runId: 'r1', document: discovered('file:///etc/passwd') }),
      /document\.url: must be an http\(s\) URL/,
    ],
    [
      'a URL with credentials',
      'fetch',
      'fetch',
      () => ({ runId: 'r1', document: discovered('https://admin:secret@www.example.gov.cn/a.pdf') }),
      /must not carry credentials/,
    ],
    [
      'a javascript: start URL',
      'crawl',
      'crawl',
      () => ({ runId: 'r1', source: source({ startUrls: ['javascript:alert(1)'] }) }),
      /source\.startUrls\.0: must be an http\(s\) URL/,
    ],
    ['a source id that is a path', 'crawl', 'crawl', () => ({ runId: 'r1', source: source({ id: '../../x' }) }), /source\.id/],
    ['a run id that is a path', 'extract', 'extract', () => ({ runId: '../x', fetched: fetched() }), /runId/],
    ['data that is no object', 'parse', 'parse', () => 'cat /etc/passwd', /parse job "parse": \(data\)/],
    ['a job name the queue does not take', 'extract', 'add', () => ({}), /the extract queue takes no job named "add" \(it takes extract\)/],
    [
      'a forged failure record',
      'load',
      LOAD_JOB.failure,
      () => ({ runId: 'r1', stage: 'admin', url: '', sha256: null, sourceId: null, code: "X'); drop", reason: '' }),
      /stage.*code: an error code/,
    ],
    [
      'a scheduler naming another catalog file',
      'crawl',
      'scheduled-run',
      () => ({ scheduleId: 'nightly', kind: 'catalog', catalog: { region: '32' }, catalogFile: '/etc/passwd' }),
      /catalogFile/,
    ],
  ];
  for (const [what, stage, name, data, reason] of hostile) {
    test(`refuse ${what} as INVALID_JOB, naming the field`, () => {
      assert.match(refusal(stage, name, data()) ?? '(accepted)', reason);
    });
  }
});

describe('a hostile job on a real queue', () => {
  test('fails at once as INVALID_JOB, is recorded in the failures table, and reads and writes no file', async () => {
    const outside = path.join(dir, 'outside');
    await mkdir(outside, { recursive: true });
    const secret = path.join(outside, 'secret.txt');
    await writeFile(secret, 'root:x:0:0:secret\n');
    const workers = startWorkers(pipeline, { stages: ['extract', 'load'] });
    try {
      const data = { runId: 'hostile-run', fetched: fetched({ archivePath: secret, sha256: '../../outside/x' }) };
      const job = await pipeline.queues.extract.add('extract', data, { jobId: 'hostile-extract' });
      const signal = AbortSignal.timeout(30_000);
      const state = await waitFor(async () => {
        const current = await pipeline.queues.extract.getJobState(job.id!);
        return current === 'failed' || current === 'completed' ? current : undefined;
      }, signal);
      assert.equal(state, 'failed');
      const failed = (await pipeline.queues.extract.getJob(job.id!))!;
      assert.equal(failed.attemptsMade, 1, 'never retried');
      assert.match(failed.failedReason, /^INVALID_JOB: extract job "extract": fetched\.sha256: must be 64 lower-case hex digits/);
      const rows = await waitFor(
        async () => {
          if (!existsSync(config.duckdbPath)) return undefined;
          const result = await retryWhileLocked(() =>
            runReadOnlySql(config.duckdbPath, "select run_id, stage, sha256, code from failures where code = 'INVALID_JOB'"),
          );
          return result.rows.length > 0 ? result.rows : undefined;
        },
        signal,
        200,
      );
      assert.deepEqual(rows, [['hostile-run', 'extract', null, 'INVALID_JOB']], 'recorded under its run, the unsound hash left out');
      assert.deepEqual(await readdir(outside), ['secret.txt'], 'nothing written outside the data directory');
      assert.equal(existsSync(layout().extractedDir), false, 'nothing extracted');

      // A job naming no sound run is recorded under the invalid-jobs run.
      await pipeline.queues.extract.add('extract', { fetched: fetched() }, { jobId: 'hostile-no-run' });
      const unattributed = await waitFor(
        async () => {
          const result = await retryWhileLocked(() =>
            runReadOnlySql(config.duckdbPath, `select stage, code from failures where run_id = '${INVALID_JOBS_RUN}'`),
          );
          return result.rows.length > 0 ? result.rows : undefined;
        },
        signal,
        200,
      );
      assert.deepEqual(unattributed, [['extract', 'INVALID_JOB']]);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });
});
