/**
 * The UI's pages over real parts: a DuckDB file holding the demo reports, a recorded run with failures whose portal
 * strings are hostile, a run still going in a real Redis, and the server answering over HTTP on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import type { Worker } from 'bullmq';
import type { Config } from '../config/config.ts';
import { startWorkers, type Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, waitFor, type TestPipeline } from '../jobs/test-support.ts';
import { PDFJS_FALLBACK } from '../extract/pdf-page-text.ts';
import { buildDemoWarehouse } from '../load/fixtures/demo-warehouse.ts';
import { sampleInput } from '../load/fixtures/documents.ts';
import { loadDocument, recordFailure, recordRun, runReadOnlySql, withWarehouse, type RunRecord } from '../load/index.ts';
import type { PlantedReportData } from '../simulator/index.ts';
import type { Health } from './health-page.ts';
import { startUi } from './server.ts';

const HOSTILE_URL = 'http://127.0.0.1/nb/"><script>alert(1)</script>.pdf';
let fixture: TestPipeline;
let config: Config;
let pipeline: Pipeline;
let ui: Awaited<ReturnType<typeof startUi>>;
let planted: PlantedReportData[];
let archivedSha: string;

const recorded: RunRecord = {
  runId: 'run-recorded',
  startedAt: '2026-12-01T02:00:00.000Z',
  finishedAt: '2026-12-01T02:05:30.000Z',
  status: 'finished_with_failures',
  summary: {
    'crawl:completed': 3,
    'fetch:completed': 9,
    'fetch:failed': 2,
    'extract:completed': 9,
    'parse:completed': 9,
    'load:completed': 9,
    'failures:CONNECTION_REFUSED': 1,
    'failures:HTTP_404': 1,
    'source:<b>evil</b>:pages': 4,
    'source:<b>evil</b>:discovered': 5,
    'source:<b>evil</b>:reports': 3,
  },
  health: [
    {
      sourceId: '<b>evil</b>',
      pagesFetched: 4,
      reportsFound: 3,
      newDocuments: 3,
      changed: 0,
      blocked: 0,
      errors: 2,
      flagged: true,
      note: '<i>fewer reports</i>',
    },
  ],
  sources: [{ sourceId: '<b>evil</b>', name: '丁县<script>', regionCode: '320804', level: 'county' }],
};

before(async () => {
  fixture = await openTestPipeline('ui-pages');
  ({ config, pipeline } = fixture);
  planted = await buildDemoWarehouse(config.duckdbPath);
  archivedSha = String((await runReadOnlySql(config.duckdbPath, 'select sha256 from documents order by sha256 limit 1')).rows[0]![0]);
  await withWarehouse(config.duckdbPath, async (warehouse) => {
    await recordRun(warehouse, recorded);
    const failure = { runId: recorded.runId, sourceId: '<b>evil</b>', sha256: null };
    await recordFailure(warehouse, {
      ...failure,
      stage: 'fetch',
      url: HOSTILE_URL,
      code: 'CONNECTION_REFUSED',
      reason: 'fetching … failed: connection refused <img src=x onerror=alert(2)>',
    });
    await recordFailure(warehouse, {
      ...failure,
      stage: 'extract',
      url: 'https://www.example.gov.cn/a.pdf',
      sha256: archivedSha,
      code: 'HTTP_404',
      reason: 'gone',
    });
  });
  // A run still going: three jobs expected, one settled.
  await pipeline.tracker.begin('run-live', '2026-12-06T01:00:00.000Z');
  await pipeline.tracker.expect('run-live', ['run-live.crawl.a', 'run-live.fetch.b', 'run-live.fetch.c']);
  await pipeline.tracker.settle('run-live', 'run-live.crawl.a', 'crawl', 'completed');
  ui = await startUi(pipeline, { port: 0 });
});

after(async () => {
  await ui?.close();
  await fixture?.close();
});

async function html(pathname: string): Promise<string> {
  const response = await fetch(`${ui.url}${pathname}`, { headers: { accept: 'text/html' } });
  assert.equal(response.status, 200, pathname);
  return response.text();
}

/** No raw markup from portal data anywhere: only the page's own tags. */
function assertEscaped(page: string): void {
  assert.doesNotMatch(page, /<script|<img|<b>|<i>|\[object Object\]/);
}

test('the runs page shows running runs with live counts and recorded runs with jobs per stage and failures by reason', async () => {
  const page = await html('/runs');
  assertEscaped(page);
  assert.match(page, /<meta http-equiv="refresh" content="5">/, 'refreshes quickly while a run is going');
  // The live run, from Redis: one crawl done, two jobs pending.
  const live = page.slice(page.indexOf('<h2>Running</h2>'), page.indexOf('<h2>Recorded runs</h2>'));
  assert.match(
    live,
    /run-live<\/a><\/td><td>running<\/td><td><time datetime="[^"]+">2026-12-06 09:00:00<\/time><\/td>/,
    'started, in Asia/Shanghai',
  );
  assert.match(live, /<td class="n">2<\/td><td><ul class="counts"><li>crawl: 1 done<\/li><\/ul>/);
  // The recorded run, from DuckDB: every stage's counts and each failure code linked to its failures.
  const done = page.slice(page.indexOf('<h2>Recorded runs</h2>'));
  assert.match(done, /<a href="\/failures\?run=run-recorded">run-recorded<\/a>/);
  assert.match(done, /2026-12-01 10:00:00<\/time><\/td><td><time datetime="[^"]+">2026-12-01 10:05:30<\/time><\/td><td>5 min 30 s<\/td>/);
  assert.match(
    done,
    /<li>crawl: 3 done<\/li><li>fetch: 9 done, <span class="bad">2 failed<\/span><\/li><li>extract: 9 done<\/li><li>parse: 9 done<\/li><li>load: 9 done<\/li>/,
  );
  assert.match(
    done,
    /<a href="\/failures\?run=run-recorded&amp;code=CONNECTION_REFUSED">CONNECTION_REFUSED<\/a> × 1 <span class="muted">\(fetch\)<\/span>/,
  );
  assert.match(done, /<a href="\/failures\?run=run-recorded&amp;code=HTTP_404">HTTP_404<\/a> × 1 <span class="muted">\(extract\)<\/span>/);
  assert.match(done, /1 sources: 4 pages, 5 documents found, 3 reports/);
  assert.match(
    done,
    /<a href="\/sources\/%3Cb%3Eevil%3C%2Fb%3E">&lt;b&gt;evil&lt;\/b&gt; 丁县&lt;script&gt;<\/a>/,
    'source health links the source',
  );
});

test('the failures page, narrowed to a run and a code, links each failure to its document and its source', async () => {
  const page = await html('/failures?run=run-recorded&code=CONNECTION_REFUSED');
  assertEscaped(page);
  assert.match(page, /Only run <code>run-recorded<\/code>, code <code>CONNECTION_REFUSED<\/code>/);
  assert.match(page, /connection refused &lt;img src=x onerror=alert\(2\)&gt;/);
  assert.match(
    page,
    /<a href="http:\/\/127\.0\.0\.1\/nb\/&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;\.pdf" rel="noreferrer noopener" target="_blank">/,
  );
  assert.doesNotMatch(page, /HTTP_404<\/a><\/td><td>gone/, 'the other code is not listed');
  const all = await html('/failures?run=run-recorded');
  assert.match(all, new RegExp(`<a href="/documents/${archivedSha}">archived copy</a>`), 'an archived document links its page');
});

test('a document page shows where it was seen and what the parser made of it; a source page its health per run', async () => {
  const page = await html(`/documents/${archivedSha}`);
  assertEscaped(page);
  const [reportRow] = (await runReadOnlySql(config.duckdbPath, `select issuer, year from reports where sha256 = '${archivedSha}'`)).rows;
  assert.match(page, new RegExp(`<td>${reportRow![0]}</td><td>[^<]*</td><td>[^<]*</td><td class="n">${reportRow![1]}</td>`));
  assert.match(page, /<h2>Failures<\/h2><table>.*HTTP_404/s);
  assert.equal((await fetch(`${ui.url}/documents/not-a-hash`)).status, 404);

  const source = await html(`/sources/${encodeURIComponent('<b>evil</b>')}`);
  assertEscaped(source);
  assert.match(
    source,
    /<th>source<\/th><td>&lt;b&gt;evil&lt;\/b&gt;<\/td><\/tr><tr><th>name<\/th><td>丁县&lt;script&gt;<\/td><\/tr><tr><th>region<\/th><td>320804<\/td><\/tr><tr><th>level<\/th><td>county<\/td>/,
  );
  assert.match(
    source,
    /run-recorded<\/a><\/td><td><time datetime="[^"]+">2026-12-01 10:00:00<\/time><\/td><td class="n">4<\/td><td class="n">3<\/td>/,
  );
  assert.match(source, /<span class="flag">flagged<\/span><\/td><td>&lt;i&gt;fewer reports&lt;\/i&gt;<\/td>/);
});

test('/health answers JSON to machines and a page to people, and sees workers connect', async () => {
  const response = await fetch(`${ui.url}/health`);
  assert.equal(response.status, 200);
  const health = (await response.json()) as Health;
  assert.equal(health.redis.ok, true);
  assert.deepEqual([health.warehouse.ok, health.warehouse.state, health.warehouse.counts?.reports], [true, 'readable', planted.length]);
  assert.deepEqual(
    health.queues.map((queue) => [queue.queue, queue.workers]),
    Object.keys(pipeline.queues).map((name) => [name, 0]),
  );
  assert.equal(health.status, 'degraded', 'no worker yet: jobs would wait');

  const page = await html('/health');
  assert.match(page, /<span class="ok">answering<\/span>/);
  assert.match(page, /<span class="bad">0: no worker<\/span>/);

  let workers: Worker[] = [];
  try {
    workers = startWorkers(pipeline, { concurrency: 1 });
    const signal = AbortSignal.timeout(30_000);
    const ok = await waitFor(
      async () => {
        const now = (await (await fetch(`${ui.url}/health`)).json()) as Health;
        return now.status === 'ok' ? now : undefined;
      },
      signal,
      200,
    );
    assert.ok(ok.queues.every((queue) => queue.workers >= 1));
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
  }
});

test('/health says down, with 503, when Redis does not answer, and the runs page still shows the recorded runs', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as net.AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  // The same pipeline, but its configured Redis is a closed port on 127.0.0.1.
  const cut = await startUi({ ...pipeline, config: { ...config, redisUrl: `redis://127.0.0.1:${port}` } }, { port: 0 });
  try {
    const response = await fetch(`${cut.url}/health`);
    assert.equal(response.status, 503);
    const health = (await response.json()) as Health;
    assert.deepEqual([health.status, health.redis.ok, health.queues], ['down', false, []]);
    assert.equal(health.warehouse.ok, true, 'the warehouse is still readable');
    const page = await (await fetch(`${cut.url}/health`, { headers: { accept: 'text/html' } })).text();
    assert.match(page, /<span class="bad">down: no answer to PING<\/span>/);
    assert.match(page, /Queues unknown while Redis is down/);
    const runs = await (await fetch(`${cut.url}/runs`)).text();
    assert.match(runs, /Redis does not answer: the runs going are unknown/);
    assert.match(runs, /<a href="\/failures\?run=run-recorded">run-recorded<\/a>/, 'the recorded runs still show');
  } finally {
    await cut.close();
  }
});

test("a PDF's document page names the engine that read its text, and why pdf.js did", async () => {
  const input = sampleInput({ name: 'ui-pdfjs', format: 'pdf' });
  const reason = 'read by pdf.js: PDFium reads page(s) 2 as glyphs without Unicode mapping';
  const extracted = { ...input.extracted, engine: 'pdf.js' as const, warnings: [{ code: PDFJS_FALLBACK, message: reason }] };
  await withWarehouse(config.duckdbPath, (warehouse) => loadDocument(warehouse, { ...input, extracted }));
  const page = await html(`/documents/${input.fetched.sha256}`);
  assert.match(
    page,
    /<th>text engine<\/th><td>pdf\.js<\/td><\/tr><tr><th>why pdf\.js<\/th><td>read by pdf\.js: PDFium reads page\(s\) 2 as glyphs/,
  );
  assert.match(await html(`/documents/${archivedSha}`), /<th>text engine<\/th><td><\/td>/, 'an HTML document has none');
});
