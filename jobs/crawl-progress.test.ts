/**
 * A crawl job tells its progress while it runs, not only when it ends: each page read reaches the job's BullMQ
 * progress (at most once a second), so bull-board and QueueEvents listeners see a crawl move. Real Redis, a simulated
 * portal on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { QueueEvents } from 'bullmq';
import type { Config } from '../config/config.ts';
import { startDemoPortals, type DemoPortals } from '../simulator/index.ts';
import { enqueueRun, jobId, type Pipeline } from './pipeline.ts';
import { openTestPipeline, type TestPipeline } from './test-support.ts';

let fixture: TestPipeline;
let config: Config;
let pipeline: Pipeline;
let demo: DemoPortals;

before(async () => {
  fixture = await openTestPipeline('crawl-progress', { allowPrivateNetworks: true });
  ({ config, pipeline } = fixture);
  demo = await startDemoPortals();
});

after(async () => {
  await fixture?.close();
  await demo?.close();
});

test("a crawl's pages read, list pages, documents found and failures reach its progress while it runs", async () => {
  // The portal with the most pages, asked gently: its pages come at least 400 ms apart, so the crawl lasts seconds.
  const portal = demo.portals.find((candidate) => candidate.source.startUrls.length > 1) ?? demo.portals[0]!;
  const source = { ...portal.source, politeness: { ...portal.source.politeness, delayMs: 400 } };
  const events = new QueueEvents('crawl', { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
  await events.waitUntilReady();
  const runId = 'progress-run';
  const id = jobId(runId, 'crawl', source.id);
  const seen: Record<string, number>[] = [];
  events.on('progress', ({ jobId: job, data }) => void (job === id && seen.push(data as Record<string, number>)));
  const completed = new Promise<void>((resolve) => events.on('completed', ({ jobId: job }) => job === id && resolve()));
  try {
    fixture.startWorkers({ stages: ['crawl'] });
    await enqueueRun(pipeline, [source], runId);
    await completed;
    const live = seen.filter((progress) => 'listPages' in progress); // the final figures (reportJob's) have none
    assert.ok(live.length >= 2, `progress while crawling: ${JSON.stringify(seen)}`);
    const pages = live.map((progress) => progress.pagesRead!);
    assert.deepEqual(
      pages,
      [...pages].sort((a, b) => a - b),
      'pages read only grow',
    );
    assert.ok(pages[0]! < pages.at(-1)!, `pages read grow while it runs: ${pages.join(', ')}`);
    for (const progress of live) {
      assert.deepEqual(Object.keys(progress).sort(), ['documentsFound', 'failures', 'listPages', 'pagesRead']);
      assert.ok(progress.listPages! >= 1 && progress.listPages! <= progress.pagesRead!);
    }
    const last = seen.at(-1)!;
    const result = (await pipeline.queues.crawl.getJob(id))!.returnvalue as { pagesFetched: number; discovered: number };
    assert.deepEqual(last, { pagesRead: result.pagesFetched, documentsFound: result.discovered }, 'the job ends with its final figures');
  } finally {
    await events.close();
  }
});
