/** `yangguang status`'s portal-health section, over a real DuckDB file. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouse } from '../load/warehouse.ts';
import { printPortalHealth } from './status.ts';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'yangguang.mjs');
const dir = mkdtempSync(path.join(tmpdir(), 'yg-status-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (n: number): CatalogEntry => ({
  id: `gov-6207${String(n).padStart(2, '0')}`,
  regionCode: `6207${String(n).padStart(2, '0')}`,
  name: `县${n}`,
  level: 'county',
  parentCode: '620700',
  path: `甘肃省/张掖市/县${n}`,
  portalUrl: `http://county-${n}.example/`,
});

/** Two portals ok, then 25 dead ones checked a minute apart (the last one checked latest). */
function discoveries(): PortalDiscovery[] {
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 8, minute)).toISOString();
  const ok = [1, 2].map((n): PortalDiscovery => ({
    sourceId: entry(n).id,
    portalUrl: entry(n).portalUrl,
    status: 'ok',
    reason: null,
    movedTo: null,
    platform: 'trs',
    pagesFetched: 3,
    checkedAt: at(0),
    columns: [
      { url: `http://county-${n}.example/zfxxgknb/`, scope: 'government', platform: 'trs', method: 'link-text', evidence: 'link text' },
    ],
  }));
  const dead = Array.from({ length: 25 }, (_, i): PortalDiscovery => ({
    sourceId: entry(i + 10).id,
    portalUrl: entry(i + 10).portalUrl,
    status: i === 0 ? 'moved' : 'dead',
    reason: `ECONNREFUSED ${i + 10}`,
    movedTo: i === 0 ? 'https://new-county.example/' : null,
    platform: null,
    columns: [],
    pagesFetched: 1,
    checkedAt: at(i + 1),
  }));
  return [...ok, ...dead];
}

test('prints nothing when there is no warehouse, or it holds no discovery', async () => {
  const lines: string[] = [];
  await printPortalHealth({ duckdbPath: path.join(dir, 'absent.duckdb') }, (line) => lines.push(line));
  const empty = path.join(dir, 'empty.duckdb');
  await withWarehouse(empty, async () => undefined);
  await printPortalHealth({ duckdbPath: empty }, (line) => lines.push(line));
  assert.deepEqual(lines, []);
});

test('counts portals per status, lists the 20 not ok checked last with name, reason and time, and counts the rest', async () => {
  const duckdbPath = path.join(dir, 'status.duckdb');
  const catalogFile = path.join(dir, 'portals.jsonl');
  writeFileSync(catalogFile, Array.from({ length: 40 }, (_, i) => JSON.stringify(entry(i + 1))).join('\n'));
  await withWarehouse(duckdbPath, ({ connection }) => recordDiscoveries(connection, discoveries()));

  const lines: string[] = [];
  await printPortalHealth({ duckdbPath, catalogFile }, (line) => lines.push(line));
  assert.equal(lines[0], 'portals by their latest discovery (27): ok 2 · dead 24 · moved 1');
  const rows = lines[1]!.split('\n').filter((line) => /gov-6207/.test(line));
  assert.equal(rows.length, 20);
  assert.match(rows[0]!, /gov-620734 .*甘肃省\/张掖市\/县34 .*dead .*ECONNREFUSED 34 .*2026-12-01T08:25:00Z/);
  assert.ok(!lines[1]!.includes('gov-620710'), 'the moved portal, checked first, is among the five not shown');
  assert.equal(lines[2], "… and 5 more; see `yangguang sources list` (or the UI's Portals page)");
});

test('`yangguang status` shows portal health from the warehouse even when no Redis answers, and exits 3 for the missing Redis', () => {
  const env = {
    ...process.env,
    REDIS_URL: 'redis://127.0.0.1:9',
    YANGGUANG_DATA_DIR: dir,
    YANGGUANG_DUCKDB_PATH: path.join(dir, 'status.duckdb'),
  };
  const result = spawnSync(process.execPath, [bin, 'status'], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stdout, /queues: no Redis answers at redis:\/\/127\.0\.0\.1:9/);
  assert.match(result.stdout, /portals by their latest discovery \(27\): ok 2 · dead 24 · moved 1/);
});
