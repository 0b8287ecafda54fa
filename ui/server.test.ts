/** The queue UI's exposure rules: loopback by default, any other address only with a token, and then every request needs it. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig, type Config } from '../config/config.ts';
import { openPipeline, type Pipeline } from '../jobs/pipeline.ts';
import { deleteKeys } from '../jobs/test-support.ts';
import { UiBindError, isLoopback, startUi } from './server.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-ui-auth-'));
  config = loadConfig({ env: {}, overrides: { redisUrl, dataDir: dir, queuePrefix: `yg-test-uiauth-${process.pid}-${Date.now()}` } });
  pipeline = await openPipeline(config);
});

after(async () => {
  await pipeline.close();
  await deleteKeys(redisUrl, `${config.queuePrefix}:*`);
  await rm(dir, { recursive: true, force: true });
});

test('the UI binds 127.0.0.1 by default and serves its pages and bull-board without a token there', async () => {
  const ui = await startUi(pipeline, { port: 0 });
  try {
    assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await fetch(`${ui.url}/runs`)).status, 200);
    assert.equal((await fetch(`${ui.url}/queues/api/queues`)).status, 200);
  } finally {
    await ui.close();
  }
});

test('any non-loopback address is refused without a token', async () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
    await assert.rejects(startUi(pipeline, { host, port: 0 }), UiBindError, host);
  }
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('::1'), true);
  assert.equal(isLoopback('0.0.0.0'), false);
});

test('with a token, every request needs it, as bearer or as the basic-auth password', async () => {
  const ui = await startUi(pipeline, { host: '0.0.0.0', port: 0, token: 's3cret-token' });
  const local = ui.url.replace('0.0.0.0', '127.0.0.1');
  const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  try {
    assert.equal((await fetch(`${local}/runs`)).status, 401);
    assert.equal((await fetch(`${local}/queues/api/queues`)).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: 'Bearer wrong-token!' } })).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: basic('wrong') } })).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: 'Bearer s3cret-token' } })).status, 200);
    assert.equal((await fetch(`${local}/queues/api/queues`, { headers: { authorization: basic('s3cret-token') } })).status, 200);
  } finally {
    await ui.close();
  }
});
