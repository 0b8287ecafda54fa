/** An extract job whose raw archive file is gone fails at once as ARCHIVE_MISSING, not as a bare, retried ENOENT. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Config } from '../config/config.ts';
import { dataLayout, rawPath } from '../config/data-layout.ts';
import { startWorkers, type Pipeline } from './pipeline.ts';
import { openTestPipeline, waitFor, type TestPipeline } from './test-support.ts';

let fixture: TestPipeline;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('archive-missing');
  ({ config, pipeline } = fixture);
});

after(() => fixture?.close());

test('a missing raw archive file fails the extract job once as ARCHIVE_MISSING, naming the file', async () => {
  const workers = startWorkers(pipeline, { stages: ['extract'] });
  try {
    const sha256 = 'cd'.repeat(32);
    const archivePath = rawPath(dataLayout(config.dataDir), sha256);
    const url = 'http://www.demo-xian.gov.cn/zfxxgknb/report.pdf';
    const fetched = {
      sourceId: 'demo',
      url,
      finalUrl: url,
      title: '2024年政府信息公开工作年度报告',
      publishedAt: null,
      fetchedAt: new Date().toISOString(),
      status: 200,
      contentType: 'application/pdf',
      sha256,
      byteLength: 10,
      archivePath,
      etag: null,
      lastModified: null,
    };
    const job = await pipeline.queues.extract.add('extract', { runId: 'archive-missing', fetched }, { jobId: 'archive-missing.extract.1' });
    const failed = await waitFor(async () => {
      const current = await pipeline.queues.extract.getJob(job.id!);
      return (await current?.getState()) === 'failed' ? current : undefined;
    }, AbortSignal.timeout(60_000));
    assert.equal(failed!.attemptsMade, 1);
    assert.match(
      failed!.failedReason,
      /^ARCHIVE_MISSING: the raw archive file .*cdcdcd.* of http:\/\/www\.demo-xian\.gov\.cn\/zfxxgknb\/report\.pdf is missing/,
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
});
