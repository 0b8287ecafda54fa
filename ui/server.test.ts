/**
 * The queue UI's exposure rules (loopback by default, any other address only with a token, and then every request
 * needs it), and its Portals page over a real DuckDB file.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Config } from '../config/config.ts';
import type { PortalDiscovery } from '../crawlers/catalog-types.ts';
import { recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouse } from '../load/warehouse.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { openTestPipeline, type TestPipeline } from '../jobs/test-support.ts';
import { isLoopback } from './loopback.ts';
import { UiBindError, startUi } from './server.ts';

const STRONG_TOKEN = 'q8Jx2mVt9LrZp4WcN7bKe5Hs';
let fixture: TestPipeline;
let config: Config;
let pipeline: Pipeline;

before(async () => {
  fixture = await openTestPipeline('ui-auth');
  ({ config, pipeline } = fixture);
});

after(() => fixture?.close());

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
  // 127.0.0.2 rather than 0.0.0.0: the rule is the same on any address, and a test never listens on every interface.
  const ui = await startUi(pipeline, { host: '127.0.0.2', port: 0, token: STRONG_TOKEN });
  const local = ui.url;
  assert.match(local, /^http:\/\/127\.0\.0\.2:\d+$/);
  const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
  try {
    assert.equal((await fetch(`${local}/runs`)).status, 401);
    assert.equal((await fetch(`${local}/queues/api/queues`)).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: 'Bearer wrong-token!' } })).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: basic('wrong') } })).status, 401);
    assert.equal((await fetch(`${local}/runs`, { headers: { authorization: `Bearer ${STRONG_TOKEN}` } })).status, 200);
    assert.equal((await fetch(`${local}/queues/api/queues`, { headers: { authorization: basic(STRONG_TOKEN) } })).status, 200);
  } finally {
    await ui.close();
  }
});

/** A portal found ok twice (a department column added the second time), and two that a portal's data makes hostile. */
function portalDiscoveries(): PortalDiscovery[] {
  const government = {
    url: 'https://www.huaiyin.example/zfxxgknb/',
    scope: 'government',
    platform: 'trs',
    method: 'link-text',
    evidence: 'link text 政府信息公开年报',
  } as const;
  const firstCheck: PortalDiscovery = {
    sourceId: 'gov-320804',
    portalUrl: 'https://www.huaiyin.example/',
    status: 'ok',
    reason: null,
    movedTo: null,
    platform: 'trs',
    columns: [government],
    pagesFetched: 3,
    checkedAt: '2026-11-01T08:00:00.000Z',
  };
  const department = {
    url: 'javascript:alert(1)',
    scope: 'department',
    body: '财政局<b>',
    platform: 'trs',
    method: 'path-guess',
    evidence: '"><img src=x onerror=alert(1)>',
  } as const;
  return [
    firstCheck,
    { ...firstCheck, columns: [government, department], checkedAt: '2026-12-01T08:00:00.000Z' },
    {
      ...firstCheck,
      sourceId: 'gov-320803',
      portalUrl: 'http://www.huaian-qu.example/',
      status: 'dead',
      platform: null,
      columns: [],
      reason: '<script>alert("dead")</script>',
      checkedAt: '2026-12-02T09:30:00.000Z',
    },
    {
      ...firstCheck,
      sourceId: 'gov-320812',
      portalUrl: 'http://old.qingjiangpu.example/',
      status: 'moved',
      platform: null,
      columns: [],
      reason: 'redirected off its host',
      movedTo: 'https://new.qingjiangpu.example/',
      checkedAt: '2026-12-02T09:00:00.000Z',
    },
  ];
}

test('the Portals page, linked from every page, counts portals per status and lists problems and columns, all escaped', async () => {
  const ui = await startUi(pipeline, { port: 0 });
  try {
    const portalsPage = async () => {
      const response = await fetch(`${ui.url}/portals`);
      assert.equal(response.status, 200);
      return response.text();
    };
    const nothingYet = /No discovery recorded yet: run <code>yangguang sources discover<\/code>/;
    assert.match(await portalsPage(), nothingYet, 'no DuckDB file yet');
    await withWarehouse(config.duckdbPath, async () => undefined);
    assert.match(await portalsPage(), nothingYet, 'a warehouse without discoveries');
    assert.match(await (await fetch(`${ui.url}/runs`)).text(), /<a href="\/portals">Portals<\/a>/);

    await withWarehouse(config.duckdbPath, ({ connection }) => recordDiscoveries(connection, portalDiscoveries()));
    const html = await portalsPage();
    // Times in the configured zone (Asia/Shanghai by default): 08:00 UTC is 16:00 there.
    assert.match(html, /<td>ok<\/td><td class="n">1<\/td><td><time datetime="[^"]+">2026-12-01 16:00:00<\/time><\/td>/);
    assert.match(html, /<td>dead<\/td><td class="n">1<\/td>/);
    assert.match(html, /<td>moved<\/td><td class="n">1<\/td>/);
    // Not ok, most recently checked first, with the reason and where the moved one went.
    const dead = html.indexOf('<td><a href="/sources/gov-320803">gov-320803</a></td>');
    const moved = html.indexOf('<td><a href="/sources/gov-320812">gov-320812</a></td>');
    assert.ok(dead > 0 && moved > dead, 'the dead portal (checked last) comes first');
    assert.match(html, /gov-320803<\/a><\/td><td>江苏省\/淮安市\/淮安区<\/td><td>dead<\/td>/, 'named by its place in the catalog');
    assert.match(
      html,
      /&lt;script&gt;alert\(&quot;dead&quot;\)&lt;\/script&gt;<\/td><td><\/td><td><time datetime="[^"]+">2026-12-02 17:30:00/,
    );
    assert.match(
      html,
      /redirected off its host<\/td><td><a href="https:\/\/new\.qingjiangpu\.example\/" rel="noreferrer noopener" target="_blank">/,
    );
    // The columns of the latest check: the government column first found a month before the department one.
    assert.match(
      html,
      /<a href="https:\/\/www\.huaiyin\.example\/zfxxgknb\/" rel="noreferrer noopener" target="_blank">[^<]+<\/a><\/td><td>government<\/td><td><\/td><td>trs<\/td><td>link-text<\/td><td>link text 政府信息公开年报<\/td><td><time datetime="[^"]+">2026-11-01 16:00:00<\/time><\/td><td><time datetime="[^"]+">2026-12-01 16:00:00<\/time><\/td>/,
    );
    assert.match(
      html,
      /<td>javascript:alert\(1\)<\/td><td>department<\/td><td>财政局&lt;b&gt;<\/td>/,
      'a non-http URL is text, not a link',
    );
    assert.match(html, /&quot;&gt;&lt;img src=x onerror=alert\(1\)&gt;<\/td><td><time datetime="[^"]+">2026-12-01 16:00:00<\/time><\/td>/);
    assert.doesNotMatch(html, /<script>|<img|<b>|href="javascript/);
  } finally {
    await ui.close();
  }
});
