import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../config/config.ts';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { reply, startTestServer } from '../crawlers/test-server.ts';
import { readLatestDiscoveries } from '../load/discoveries.ts';
import { isDue } from '../jobs/catalog-runs.ts';
import { runDiscover } from './discover.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'yg-discover-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('isDue skips a recent ok discovery unless asked to recheck, and retries anything not ok', () => {
  const now = new Date('2026-12-06T00:00:00Z');
  const discovery = (status: PortalDiscovery['status'], checkedAt: string): PortalDiscovery => ({
    sourceId: 'gov-1',
    portalUrl: 'http://x/',
    status,
    reason: null,
    movedTo: null,
    platform: null,
    columns: [],
    pagesFetched: 1,
    checkedAt,
  });
  assert.equal(isDue(undefined, now), true);
  assert.equal(isDue(discovery('ok', '2026-12-01T00:00:00Z'), now), false);
  assert.equal(isDue(discovery('ok', '2026-12-01T00:00:00Z'), now, true), true);
  assert.equal(isDue(discovery('ok', '2026-10-01T00:00:00Z'), now), true);
  assert.equal(isDue(discovery('dead', '2026-12-05T00:00:00Z'), now), true);
});

test('discovers the catalog, records every portal, prints the problems and a summary, and skips fresh ok portals next time', async () => {
  const page = (title: string, main: string) =>
    `<html><head><meta name="SiteName" content="示例县人民政府"><title>${title}_示例县人民政府</title></head><body>${main}</body></html>`;
  const server = await startTestServer((request, response) => {
    if (request.url === '/') return reply(response, 200, page('首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    if (request.url === '/zfxxgk/zfxxgknb/')
      return reply(response, 200, page('政府信息公开年报', '<a href="./202301/t20230118_1.html">示例县2022年政府信息公开工作年度报告</a>'));
    reply(response, 404, 'not found');
  });
  const closed = await startTestServer(() => undefined);
  await closed.close();
  try {
    const entries: CatalogEntry[] = [
      {
        id: 'gov-620721',
        regionCode: '620721',
        name: '示例县',
        level: 'county',
        parentCode: '620700',
        path: '甘肃省/张掖市/示例县',
        portalUrl: `${server.origin}/`,
      },
      {
        id: 'gov-620722',
        regionCode: '620722',
        name: '无人县',
        level: 'county',
        parentCode: '620700',
        path: '甘肃省/张掖市/无人县',
        portalUrl: `${closed.origin}/`,
      },
      {
        id: 'gov-320804',
        regionCode: '320804',
        name: '淮阴区',
        level: 'county',
        parentCode: '320800',
        path: '江苏省/淮安市/淮阴区',
        portalUrl: `${closed.origin}/`,
      },
    ];
    const catalogFile = path.join(dir, 'portals.jsonl');
    writeFileSync(catalogFile, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    const config = loadConfig({ env: {}, overrides: { allowPrivateNetworks: true, dataDir: dir, requestTimeoutSecs: 5 } });

    const lines: string[] = [];
    await runDiscover(config, { region: '62', catalogFile }, (line) => lines.push(line));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^gov-620722 无人县 dead: home page unreachable: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
    assert.equal(lines[1], 'discover: portals=2 ok=1 columns=1 moved=0 dead=1 browser_only=0 no_column=0');

    const latest = await readLatestDiscoveries(config);
    assert.equal(latest.get('gov-620721')?.status, 'ok');
    assert.deepEqual(
      latest.get('gov-620721')?.columns.map((column) => column.url),
      [`${server.origin}/zfxxgk/zfxxgknb/`],
    );
    assert.equal(latest.get('gov-620722')?.status, 'dead');
    assert.equal(latest.has('gov-320804'), false, 'outside the region');

    const again: string[] = [];
    await runDiscover(config, { region: '62', catalogFile }, (line) => again.push(line));
    assert.equal(again.at(-1), 'discover: portals=1 ok=0 columns=0 moved=0 dead=1 browser_only=0 no_column=0');
  } finally {
    await server.close();
  }
});
