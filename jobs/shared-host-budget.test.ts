/**
 * Two sources on one host (counties hosted on their prefecture's portal), crawled by two crawl jobs at once in one
 * worker process: real BullMQ on the real Redis (a unique prefix, removed afterwards), a real HTTP server on
 * 127.0.0.1 that counts the requests it is answering at once.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Source } from '../crawlers/types.ts';
import { enqueueRun, startWorkers, type Pipeline } from './pipeline.ts';
import { openTestPipeline, waitFor, type TestPipeline } from './test-support.ts';

const REPORTS = 6;
let fixture: TestPipeline;
let pipeline: Pipeline;
let server: Server;
let origin: string;
/** Most requests the server was answering at once. */
let mostAtOnce = 0;
/** When each county's requests arrived, in arrival order. */
const arrivals: { county: string; at: number }[] = [];

function page(county: string, pathname: string): string {
  if (pathname === `/${county}/index.html`) {
    const items = Array.from(
      { length: REPORTS },
      (_, index) =>
        `<li><a href="/${county}/r${index}.html" title="${county}县${2015 + index}年政府信息公开工作年度报告">…</a><span>2022-01-10</span></li>`,
    );
    return `<ul>${items.join('')}</ul>`;
  }
  return `<h1>${county}县政府信息公开工作年度报告</h1>`;
}

async function startSharedHost(): Promise<void> {
  let answering = 0;
  server = createServer((request, response) => {
    answering += 1;
    mostAtOnce = Math.max(mostAtOnce, answering);
    const url = new URL(request.url ?? '/', 'http://x');
    const county = url.pathname.split('/')[1] ?? '';
    if (county === 'jia' || county === 'yi') arrivals.push({ county, at: arrivals.length });
    response.once('finish', () => (answering -= 1));
    // Slow enough that requests would overlap if nothing held them apart.
    setTimeout(() => {
      if (county !== 'jia' && county !== 'yi') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(county, url.pathname));
    }, 20);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

before(async () => {
  await startSharedHost();
  fixture = await openTestPipeline('shared-host', {
    allowPrivateNetworks: true,
    hostConcurrency: 1,
    crawlConcurrency: 4,
    crawlJobConcurrency: 2,
  });
  ({ pipeline } = fixture);
});

after(async () => {
  await fixture?.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('two crawl jobs for sources on one host share its budget: one request at a time, the two crawls in turn', async () => {
  const host = new URL(origin).host;
  const sources: Source[] = ['jia', 'yi'].map((county) => ({
    id: county,
    name: `${county}县`,
    startUrls: [`${origin}/${county}/index.html`],
    allowedHosts: [host],
  }));
  const [crawler] = startWorkers(pipeline, { stages: ['crawl'] });
  try {
    await enqueueRun(pipeline, sources);
    await waitFor(async () => (await pipeline.queues.crawl.getJobCounts('completed')).completed === 2, AbortSignal.timeout(60_000));
  } finally {
    await crawler!.close();
  }
  assert.equal(mostAtOnce, 1, 'the host never answered two requests at once');
  const requestsOf = (county: string) => arrivals.filter((arrival) => arrival.county === county).map((arrival) => arrival.at);
  for (const county of ['jia', 'yi'])
    assert.equal(requestsOf(county).length, 1 + REPORTS, `${county}: its list page and every report page`);
  // Both crawls ran at once, held apart request by request, not one after the other.
  assert.ok(requestsOf('yi')[0]! < requestsOf('jia').at(-1)! && requestsOf('jia')[0]! < requestsOf('yi').at(-1)!, 'the crawls interleave');
});
