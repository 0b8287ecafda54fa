/**
 * The queue UI's guards against a hostile web page and a guessing client, over the real UI (express, bull-board)
 * and real queues: DNS rebinding, cross-site and text/plain posts, bull-board's add-job route, weak tokens, token
 * guessing, and forms without their CSRF token.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { Worker } from 'bullmq';
import express from 'express';
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { generateUiToken, uiTokenWeakness } from '../config/ui-token.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { CSRF_FIELD, uiGuards } from './security.ts';
import { UiBindError, startUi } from './server.ts';

let fixture: TestPipeline;
let dir: string;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('ui-security');
  ({ dir, config, pipeline } = fixture);
});

after(() => fixture?.close());

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A raw HTTP request (fetch will not send a forged Host), to the UI at `base`. */
function send(
  base: string,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(target, base);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (incoming) => {
      let body = '';
      incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body, headers: incoming.headers }));
    });
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

test('a Host other than a loopback name, the address listened on or uiPublicHost is refused (DNS rebinding)', async () => {
  const ui = await startUi(pipeline, { port: 0, publicHost: 'yangguang.example.org' });
  const port = new URL(ui.url).port;
  try {
    const rebound = await send(ui.url, '/queues/api/queues', { headers: { host: `attacker.example:${port}` } });
    assert.equal(rebound.status, 421);
    assert.match(rebound.body, /Host "attacker\.example:\d+" is not served here: .*uiPublicHost \(YANGGUANG_UI_PUBLIC_HOST\)/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'yangguang.example.org']) {
      assert.equal((await send(ui.url, '/queues/api/queues', { headers: { host } })).status, 200, host);
    }
  } finally {
    await ui.close();
  }
});

test("bull-board's add-job and edit-data routes are closed, while retry still works from the same origin", async () => {
  const ui = await startUi(pipeline, { port: 0 });
  const origin = ui.url;
  const json = { 'content-type': 'application/json', origin };
  try {
    const add = await send(ui.url, '/queues/api/queues/extract/add', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'extract', data: {} }),
    });
    assert.equal(add.status, 403);
    assert.match(add.body, /adding or editing jobs in the UI is disabled/);
    assert.equal(await pipeline.queues.extract.count(), 0);

    const job = await pipeline.queues.parse.add('parse', { runId: 'ui-sec' }, { jobId: 'ui-sec-job', attempts: 1 });
    const edit = await send(ui.url, `/queues/api/queues/parse/${job.id}/update-data`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ jobData: { runId: 'x' } }),
    });
    assert.equal(edit.status, 403);
    assert.deepEqual((await pipeline.queues.parse.getJob(job.id!))!.data, { runId: 'ui-sec' });

    // Failed by hand, as a worker would fail it (BullMQ's manual processing).
    const worker = new Worker('parse', null, { connection: { url: config.redisUrl }, prefix: config.queuePrefix });
    const active = await worker.getNextJob('ui-sec-token');
    await active!.moveToFailed(new Error('for the test'), 'ui-sec-token', false);
    await worker.close();
    const retry = await send(ui.url, `/queues/api/queues/parse/${job.id}/retry`, {
      method: 'PUT',
      headers: { origin, 'sec-fetch-site': 'same-origin' },
    });
    assert.ok(retry.status < 300, `retry answered ${retry.status} ${retry.body}`);
    assert.equal(await pipeline.queues.parse.getJobState(job.id!), 'waiting');
  } finally {
    await pipeline.queues.parse.obliterate({ force: true });
    await ui.close();
  }
});

test("bull-board's empty and obliterate routes are closed, however spelled: the queue keeps its jobs, and pause still works", async () => {
  const ui = await startUi(pipeline, { port: 0 });
  const sameOrigin = { origin: ui.url, 'sec-fetch-site': 'same-origin' };
  const queue = pipeline.queues.parse;
  try {
    await queue.add('parse', { runId: 'ui-sec-wipe' }, { jobId: 'ui-sec-waiting', delay: 3_600_000 });
    for (const target of ['empty', 'obliterate', 'OBLITERATE', 'Empty/', 'obliterate?force=true']) {
      const answer = await send(ui.url, `/queues/api/queues/parse/${target}`, { method: 'PUT', headers: sameOrigin });
      assert.equal(answer.status, 403, `${target}: ${answer.status} ${answer.body}`);
      assert.match(answer.body, /emptying or obliterating a queue/);
    }
    assert.equal(await queue.getJobState('ui-sec-waiting'), 'delayed');
    const pause = await send(ui.url, '/queues/api/queues/parse/pause', { method: 'PUT', headers: sameOrigin });
    assert.ok(pause.status < 300, `pause answered ${pause.status} ${pause.body}`);
    assert.equal(await queue.isPaused(), true);
  } finally {
    await queue.obliterate({ force: true });
    await ui.close();
  }
});

test('state-changing requests from another site, and form or text/plain bodies on the API, are refused', async () => {
  const ui = await startUi(pipeline, { port: 0 });
  const target = '/queues/api/queues/parse/retry/failed';
  try {
    const crossOrigin = await send(ui.url, target, { method: 'PUT', headers: { origin: 'http://attacker.example' } });
    assert.equal(crossOrigin.status, 403);
    assert.match(crossOrigin.body, /cross-origin PUT refused \(Origin: http:\/\/attacker\.example\)/);
    const crossSite = await send(ui.url, target, { method: 'PUT', headers: { 'sec-fetch-site': 'cross-site' } });
    assert.match(crossSite.body, /cross-site PUT refused \(Sec-Fetch-Site: cross-site\)/);
    assert.equal((await send(ui.url, target, { method: 'PUT', headers: { origin: 'null' } })).status, 403, 'a sandboxed frame');
    const textPlain = await send(ui.url, '/queues/api/queues/extract/add', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '{"name":"extract"}',
    });
    assert.equal(textPlain.status, 403, 'add-job is closed whatever the body');
    const form = await send(ui.url, target, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    assert.equal(form.status, 415);
    assert.match(form.body, /the queue API takes application\/json, not application\/x-www-form-urlencoded/);
  } finally {
    await ui.close();
  }
});

test('weak tokens are refused with a message naming the real options, and a strong one is generated on demand', async () => {
  for (const weak of [' '.repeat(16), 'short-token', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'passwordpassword12341234']) {
    assert.ok(uiTokenWeakness(weak), JSON.stringify(weak));
    await assert.rejects(startUi(pipeline, { host: '0.0.0.0', port: 0, token: weak }), (error: Error) => {
      assert.ok(error instanceof UiBindError);
      assert.match(error.message, /YANGGUANG_UI_TOKEN .*yangguang ui --new-token/);
      return true;
    });
    assert.throws(
      () => loadConfig({ env: { YANGGUANG_UI_TOKEN: weak }, overrides: { dataDir: dir } }),
      (error: Error) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /uiToken \(env YANGGUANG_UI_TOKEN\): .*yangguang ui --new-token/);
        return true;
      },
    );
  }
  await assert.rejects(startUi(pipeline, { host: '0.0.0.0', port: 0 }), /set YANGGUANG_UI_TOKEN/);
  const fresh = generateUiToken();
  assert.equal(uiTokenWeakness(fresh), null);
  assert.notEqual(generateUiToken(), fresh);
});

test('after ten wrong tokens a client is turned away, even with the right one', async () => {
  const token = generateUiToken();
  const ui = await startUi(pipeline, { host: '0.0.0.0', port: 0, token });
  const local = ui.url.replace('0.0.0.0', '127.0.0.1');
  try {
    assert.equal((await send(local, '/runs', { headers: { authorization: `Bearer ${token}` } })).status, 200, 'successes are not counted');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const wrong = await send(local, '/runs', { headers: { authorization: `Bearer ${generateUiToken()}` } });
      assert.equal(wrong.status, 401);
      assert.match(wrong.body, /send it as `Authorization: Bearer <token>`/);
    }
    const blocked = await send(local, '/runs', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(blocked.status, 429);
    assert.match(blocked.body, /too many wrong tokens from this address: try again in 15 minutes/);
  } finally {
    await ui.close();
  }
});

test('a form posted to a UI page needs the CSRF token its page embeds', async () => {
  const app = express();
  app.use(uiGuards({ listenHost: '127.0.0.1' }));
  app.get('/form', (_request, response) => response.send(String(response.locals.csrfToken)));
  app.post('/form', (_request, response) => response.send('done'));
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  try {
    const csrf = (await send(base, '/form')).body;
    assert.match(csrf, /^[\w-]{43}$/);
    const missing = await send(base, '/form', { method: 'POST', headers: form, body: 'run=1' });
    assert.equal(missing.status, 403);
    assert.match(missing.body, /the form's _csrf token is missing or wrong/);
    assert.equal((await send(base, '/form', { method: 'POST', headers: form, body: `run=1&${CSRF_FIELD}=${'x'.repeat(43)}` })).status, 403);
    const posted = await send(base, '/form', { method: 'POST', headers: form, body: `run=1&${CSRF_FIELD}=${csrf}` });
    assert.equal(posted.status, 200);
    assert.equal(posted.body, 'done');
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
