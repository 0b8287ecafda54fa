/** Schedules live in Redis: one process sets them, a new process (the CLI) lists them, and removes them. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config/config.ts';
import { openPipeline, type Pipeline } from './pipeline.ts';
import { listSchedules } from './schedules.ts';
import { deleteKeys } from './test-support.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'yangguang.mjs');
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-schedules-'));
  config = loadConfig({ env: {}, overrides: { redisUrl, dataDir: dir, queuePrefix: `yg-test-sched-${process.pid}-${Date.now()}` } });
  pipeline = await openPipeline(config);
});

after(async () => {
  await pipeline.queues.crawl.obliterate({ force: true });
  await pipeline.close();
  await deleteKeys(redisUrl, `${config.queuePrefix}:*`);
  await rm(dir, { recursive: true, force: true });
});

function cli(...args: string[]): string {
  return cliIn(process.cwd(), ...args);
}

function cliIn(cwd: string, ...args: string[]): string {
  const env = { ...process.env, REDIS_URL: redisUrl, YANGGUANG_DATA_DIR: dir, YANGGUANG_QUEUE_PREFIX: config.queuePrefix };
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
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
