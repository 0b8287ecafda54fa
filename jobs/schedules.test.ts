/**
 * Schedules live in Redis: one process sets them, a new process (the CLI) lists them, and removes them. A catalog
 * schedule builds its sources when it fires; a discover schedule re-discovers only the portals that are due.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import type { Config } from '../config/config.ts';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { reply, startTestServer, type TestServer } from '../crawlers/test-server.ts';
import { readLatestDiscoveries, recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouse } from '../load/warehouse.ts';
import { enqueueRun, startWorkers, type Pipeline } from './pipeline.ts';
import { SCHEDULED_RUN_JOB, listSchedules, runScheduledJob, setSchedule, type ScheduledRunJobData } from './schedules.ts';
import { openTestPipeline, waitFor, type TestPipeline } from './test-support.ts';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'yangguang.mjs');
let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('schedules', { allowPrivateNetworks: true });
  ({ dir, config, pipeline } = fixture);
});

after(() => fixture?.close());

function cli(...args: string[]): string {
  return cliIn(process.cwd(), ...args);
}

function cliIn(cwd: string, ...args: string[]): string {
  const result = run(cwd, ...args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

function run(cwd: string, ...args: string[]) {
  const env = { ...process.env, ...fixture.env };
  return spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
}

test('a schedule set by one process is kept in Redis, listed by new processes, and removed', async () => {
  const sources = path.join(dir, 'sources.json');
  writeFileSync(sources, JSON.stringify([{ id: 'demo', name: 'Demo', startUrls: ['http://127.0.0.1:9/'], allowedHosts: ['127.0.0.1:9'] }]));
  cli('schedule', 'set', '--cron', '0 2 * * *', '--tz', 'Asia/Shanghai', '--sources', sources);

  const listed = cli('schedule', 'list');
  assert.match(listed, /nightly/);
  assert.match(listed, /0 2 \* \* \*/);
  assert.match(listed, /Asia\/Shanghai/);
  const [schedule] = await listSchedules(pipeline);
  assert.equal(schedule?.id, 'nightly');
  assert.deepEqual(schedule?.sources, ['demo']);
  // 02:00 in Shanghai is 18:00 UTC.
  assert.match(schedule?.next ?? '', /T18:00:00\.000Z$/);

  cli('schedule', 'rm', 'nightly');
  assert.match(cli('schedule', 'list'), /no schedules/);
});

test('without --sources a schedule covers the whole catalog, every sources/*.yaml of the working directory', async () => {
  const project = path.join(dir, 'project');
  mkdirSync(path.join(project, 'sources'), { recursive: true });
  const entry = (id: string) => `- id: ${id}\n  name: ${id}\n  startUrls: ["http://127.0.0.1:9/${id}/"]\n`;
  writeFileSync(path.join(project, 'sources', 'a.yaml'), entry('county-a'));
  writeFileSync(path.join(project, 'sources', 'b.yaml'), entry('county-b') + entry('county-c'));
  cliIn(project, 'schedule', 'set', '--cron', '30 3 * * *', '--id', 'catalog');

  const schedule = (await listSchedules(pipeline)).find((candidate) => candidate.id === 'catalog');
  assert.deepEqual(schedule?.sources, ['county-a', 'county-b', 'county-c']);
  cli('schedule', 'rm', 'catalog');
});

test('scheduling only the invented example portals warns and suggests --catalog', () => {
  const project = path.join(dir, 'examples-only');
  mkdirSync(path.join(project, 'sources'), { recursive: true });
  writeFileSync(
    path.join(project, 'sources', 'examples.yaml'),
    '- id: demo-xian\n  name: 示例县人民政府\n  startUrls: ["http://127.0.0.1:9/"]\n',
  );
  const result = run(project, 'schedule', 'set', '--cron', '0 4 * * *', '--id', 'examples');
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /warning: sources\/examples\.yaml lists invented example portals only; .*--catalog/);
  cli('schedule', 'rm', 'examples');
});

test('catalog and discover schedules are set from the command line, listed with what they pick, and exclude --sources', async () => {
  assert.match(
    cli('schedule', 'set', '--cron', '0 1 * * *', '--catalog', '--region', '32', '--level', 'county', '--id', 'js-counties'),
    /crawls the national catalog \(--region 32 --level county\) as discovered when it fires/,
  );
  assert.match(
    cli('schedule', 'set', '--cron', '0 5 * * 0', '--discover', '--region', '3208', '--id', 'recheck'),
    /re-discovers the national catalog \(--region 3208\): portals not ok, or found ok over 30 days ago/,
  );
  const schedules = await listSchedules(pipeline);
  assert.deepEqual(
    schedules.map(({ id, kind, catalog, sources }) => ({ id, kind, catalog, sources })).sort((a, b) => a.id.localeCompare(b.id)),
    [
      { id: 'js-counties', kind: 'catalog', catalog: { region: '32', level: 'county' }, sources: [] },
      { id: 'recheck', kind: 'discover', catalog: { region: '3208' }, sources: [] },
    ],
  );
  const listed = cli('schedule', 'list');
  assert.match(listed, /js-counties .*crawl the national catalog \(--region 32 --level county\)/);
  assert.match(listed, /recheck .*discover the national catalog \(--region 3208\)/);
  const conflicting = run(process.cwd(), 'schedule', 'set', '--cron', '0 1 * * *', '--discover', '--sources', 'x.yaml');
  assert.notEqual(conflicting.status, 0);
  assert.match(conflicting.stderr, /--discover.*cannot be used with.*--sources|--sources.*cannot be used with.*--discover/);
  cli('schedule', 'rm', 'js-counties');
  cli('schedule', 'rm', 'recheck');
});

const entry = (code: string, name: string, portalUrl: string): CatalogEntry => ({
  id: `gov-${code}`,
  regionCode: code,
  name,
  level: 'county',
  parentCode: `${code.slice(0, 4)}00`,
  path: `甘肃省/张掖市/${name}`,
  portalUrl,
});

const column = (url: string) =>
  ({ url, scope: 'government', platform: 'static', method: 'link-text', evidence: 'link text 政府信息公开年报' }) as const;

function discovery(entry: CatalogEntry, status: PortalDiscovery['status'], checkedAt: Date, columns: string[] = []): PortalDiscovery {
  return {
    sourceId: entry.id,
    portalUrl: entry.portalUrl,
    status,
    reason: status === 'ok' ? null : 'home page unreachable: ECONNREFUSED',
    movedTo: null,
    platform: null,
    columns: columns.map(column),
    pagesFetched: 1,
    checkedAt: checkedAt.toISOString(),
  };
}

function writeCatalog(name: string, entries: CatalogEntry[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

/** The schedule's payload as the scheduler keeps it in Redis. */
async function scheduledData(id: string): Promise<ScheduledRunJobData> {
  const scheduler = await pipeline.queues.crawl.getJobScheduler(id);
  return scheduler!.template!.data as ScheduledRunJobData;
}

test('a catalog schedule crawls the entries as discovered when it fires, not when it was set', async () => {
  const a = entry('620721', '甲县', 'http://127.0.0.1:9/');
  const b = entry('620722', '乙县', 'http://127.0.0.1:9/');
  const outside = entry('320804', '淮阴区', 'http://127.0.0.1:9/');
  const catalogFile = writeCatalog('catalog-crawl.jsonl', [a, b, outside]);
  await setSchedule(pipeline, { id: 'gansu', cron: '0 2 * * *', target: { kind: 'catalog', catalog: { region: '62' }, catalogFile } });
  const firedAt = Date.UTC(2026, 11, 6, 2, 0);
  assert.deepEqual(await runScheduledJob(pipeline, { data: await scheduledData('gansu'), timestamp: firedAt }, enqueueRun), {
    runId: null,
    sources: 0,
  });

  // Discovered after the schedule was set: the firing sees it.
  const columnUrl = 'http://127.0.0.1:9/zfxxgk/zfxxgknb/';
  await withWarehouse(config.duckdbPath, ({ connection }) =>
    recordDiscoveries(connection, [
      discovery(a, 'ok', new Date(), [columnUrl]),
      discovery(b, 'dead', new Date()),
      discovery(outside, 'ok', new Date(), ['http://127.0.0.1:9/nb/']),
    ]),
  );
  const result = await runScheduledJob(pipeline, { data: await scheduledData('gansu'), timestamp: firedAt }, enqueueRun);
  assert.deepEqual(result, { runId: 'gansu-20261206T020000', sources: 1 });
  const crawlJobs = (await pipeline.queues.crawl.getJobs(['waiting'])).filter((job) => job.data.runId === 'gansu-20261206T020000');
  assert.deepEqual(
    crawlJobs.map((job) => [job.data.source.id, job.data.source.startUrls]),
    [['gov-620721', [columnUrl]]],
  );

  await pipeline.queues.crawl.removeJobScheduler('gansu');
  await pipeline.queues.crawl.drain();
});

/** A portal whose home page links its 年报 column, counting the requests it gets. */
async function startPortal(name: string): Promise<TestServer> {
  const page = (title: string, main: string) =>
    `<html><head><meta name="SiteName" content="${name}人民政府"><title>${title}_${name}人民政府</title></head><body>${main}</body></html>`;
  return startTestServer((request, response) => {
    if (request.url === '/') return reply(response, 200, page('首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    if (request.url === '/zfxxgk/zfxxgknb/')
      return reply(
        response,
        200,
        page('政府信息公开年报', `<a href="./202301/t20230118_1.html">${name}2022年政府信息公开工作年度报告</a>`),
      );
    reply(response, 404, 'not found');
  });
}

test('a discover schedule, fired on a crawl worker, re-discovers only the portals not ok or found ok too long ago', async () => {
  const names = ['甲县', '乙县', '丙县', '丁县', '戊县'] as const;
  const servers = await Promise.all(names.map(startPortal));
  const [fresh, stale, dead, unchecked, outside] = names.map((name, i) =>
    entry(i === 4 ? '320803' : `62073${i + 1}`, name, `${servers[i]!.origin}/`),
  ) as [CatalogEntry, CatalogEntry, CatalogEntry, CatalogEntry, CatalogEntry];
  const catalogFile = writeCatalog('catalog-discover.jsonl', [fresh, stale, dead, unchecked, outside]);
  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000);
  const before = [
    discovery(fresh, 'ok', daysAgo(2), [`${fresh.portalUrl}zfxxgk/zfxxgknb/`]),
    discovery(stale, 'ok', daysAgo(45), [`${stale.portalUrl}old-column/`]),
    discovery(dead, 'dead', daysAgo(1)),
    discovery(outside, 'dead', daysAgo(1)),
  ];
  await withWarehouse(config.duckdbPath, ({ connection }) => recordDiscoveries(connection, before));
  await setSchedule(pipeline, { id: 'recheck', cron: '0 3 * * *', target: { kind: 'discover', catalog: { region: '62' }, catalogFile } });

  let workers: Worker[] = [];
  try {
    const job = await pipeline.queues.crawl.add(SCHEDULED_RUN_JOB, await scheduledData('recheck'));
    // A worker reads only the catalog file it is configured with (a firing naming another fails as INVALID_JOB).
    workers = startWorkers({ ...pipeline, config: { ...pipeline.config, catalogFile } }, { stages: ['crawl'] });
    const returned = await waitFor(
      async () => ((await job.getState()) === 'completed' ? (await pipeline.queues.crawl.getJob(job.id!))!.returnvalue : false),
      AbortSignal.timeout(60_000),
    );
    assert.deepEqual(returned, { discovered: { portals: 3, ok: 3, columns: 3, moved: 0, dead: 0, browserOnly: 0, noColumn: 0 } });

    const latest = await readLatestDiscoveries(config);
    assert.deepEqual(latest.get(fresh.id), before[0], 'found ok two days ago: left alone');
    assert.equal(servers[0]!.seen.length, 0, 'and not asked anything');
    for (const [i, due] of [stale, dead, unchecked].entries()) {
      const found = latest.get(due.id);
      assert.equal(found?.status, 'ok', due.id);
      assert.deepEqual(
        found?.columns.map((c) => c.url),
        [`${due.portalUrl}zfxxgk/zfxxgknb/`],
        due.id,
      );
      assert.ok(servers[i + 1]!.seen.length > 0, due.id);
    }
    assert.deepEqual(latest.get(outside.id), before[3], "outside the schedule's region");
    assert.equal(servers[4]!.seen.length, 0);
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await pipeline.queues.crawl.removeJobScheduler('recheck');
    await Promise.all(servers.map((server) => server.close()));
  }
});
