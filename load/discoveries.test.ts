import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { PortalDiscovery } from '../crawlers/catalog-types.ts';
import { readLatestDiscoveries, recordDiscoveries } from './discoveries.ts';
import { readPortalHealth } from './portal-health.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-discoveries-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const firstCheck: PortalDiscovery = {
  sourceId: 'gov-320804',
  portalUrl: 'https://www.huaiyin.example/',
  status: 'no-column',
  reason: 'no link named a 年报 column, no guessed path answered',
  movedTo: null,
  platform: 'trs',
  columns: [],
  pagesFetched: 9,
  checkedAt: '2026-11-01T08:00:00.000Z',
};

const secondCheck: PortalDiscovery = {
  ...firstCheck,
  status: 'ok',
  reason: null,
  pagesFetched: 4,
  checkedAt: '2026-12-01T08:00:00.000Z',
  columns: [
    {
      url: 'https://www.huaiyin.example/zfxxgk/zfxxgknb/',
      scope: 'government',
      platform: 'trs',
      method: 'link-text',
      evidence: 'link text 政府信息公开年报',
    },
    {
      url: 'https://www.huaiyin.example/zfxxgk/zfxxgknb/bm/',
      scope: 'department',
      body: '财政局',
      platform: 'trs',
      method: 'path-guess',
      evidence: 'tried …/zfxxgknb/bm/',
    },
  ],
};

const deadPortal: PortalDiscovery = {
  sourceId: 'gov-320803',
  portalUrl: 'http://www.huaian-qu.example/',
  status: 'dead',
  reason: 'ENOTFOUND www.huaian-qu.example',
  movedTo: null,
  platform: null,
  columns: [],
  pagesFetched: 1,
  checkedAt: '2026-12-01T08:00:05.000Z',
};

test('an empty map when there is no warehouse file yet', async () => {
  const latest = await readLatestDiscoveries({ duckdbPath: path.join(dir, 'absent.duckdb') });
  assert.equal(latest.size, 0);
});

test('keeps every check, reads back each portal’s latest with its columns, and records a batch twice as once', async () => {
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  await withWarehouse(duckdbPath, async ({ connection }) => {
    await recordDiscoveries(connection, [firstCheck, deadPortal]);
    await recordDiscoveries(connection, [secondCheck]);
    await recordDiscoveries(connection, [secondCheck]);
  });

  const latest = await readLatestDiscoveries({ duckdbPath });
  assert.deepEqual([...latest.keys()], ['gov-320803', 'gov-320804']);
  assert.deepEqual(latest.get('gov-320804'), secondCheck);
  assert.deepEqual(latest.get('gov-320803'), deadPortal);

  await withWarehouse(duckdbPath, async ({ connection }) => {
    const counts = await connection.runAndReadAll(
      `select (select count(*) from portal_discoveries), (select count(*) from portal_columns),
              (select list(source_id || ':' || status || ':' || columns order by source_id) from latest_portal_discoveries)`,
    );
    assert.deepEqual(counts.getRowsJS()[0], [3n, 2n, ['gov-320803:dead:0', 'gov-320804:ok:2']]);
  });
});

test('a failing batch leaves nothing behind', async () => {
  const duckdbPath = path.join(dir, 'rollback.duckdb');
  const broken = { ...deadPortal, sourceId: 'gov-320812', checkedAt: 'not a time' };
  await withWarehouse(duckdbPath, async ({ connection }) => {
    await assert.rejects(recordDiscoveries(connection, [secondCheck, broken]));
    const count = await connection.runAndReadAll('select count(*) from portal_discoveries');
    assert.equal(count.getRowsJS()[0]![0], 0n);
  });
});

// Without the reader's limits the slow read below would run for ever: the test's timeout turns that into a failure.
test(
  'reads of the discoveries are bounded like every reader: a slow one is stopped at its time limit and lets go of the file',
  { timeout: 120_000 },
  async () => {
    const duckdbPath = path.join(dir, 'slow.duckdb');
    await withWarehouse(duckdbPath, async ({ connection }) => {
      await recordDiscoveries(connection, [secondCheck, deadPortal]);
      // A view that never finishes (10^15 rows to count), standing in for a read that would hold the file indefinitely.
      await connection.run(`create or replace view latest_portal_discoveries as
      select * from portal_discoveries, (select 0 as columns, 0 as government_columns)
       where (select count(*) from range(1000000000) a, range(1000000) b) > 0`);
    });
    const limits = { timeoutSecs: 0.5, memoryLimitMb: 256 };
    const stopped = { code: 'SQL_TIMEOUT', message: /ran longer than 0.5 s and was stopped/ };
    await assert.rejects(readLatestDiscoveries({ duckdbPath }, { limits }), stopped);
    await assert.rejects(readPortalHealth(duckdbPath, { limits }), stopped);
    await assert.rejects(readPortalHealth(duckdbPath, { withColumns: true, limits }), stopped);
    // The file was let go: the writer gets in.
    await withWarehouse(duckdbPath, async ({ connection }) => {
      const count = await connection.runAndReadAll('select count(*) from portal_discoveries');
      assert.equal(count.getRowsJS()[0]![0], 2n);
    });
  },
);
