import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PortalDiscovery, ReportColumn } from '../../crawlers/catalog-types.ts';
import type { PortalManifest } from './build-portal.ts';
import { foundRatio, normalizeColumnUrl, scoreDiscoveries } from './score-discovery.ts';

function portal(sourceId: string, status: PortalManifest['status'], columns: string[], decoyColumns: string[] = []): PortalManifest {
  return {
    sourceId,
    status,
    platform: 'trs',
    navigation: 'links',
    movedTo: null,
    traits: ['gbk'],
    reports: [],
    decoyColumns,
    columns: columns.map((url, index) => (index === 0 ? { url, scope: 'government' } : { url, scope: 'department', body: '财政局' })),
  };
}

function discovery(sourceId: string, status: PortalDiscovery['status'], urls: string[]): PortalDiscovery {
  const columns: ReportColumn[] = urls.map((url, index) => ({
    url,
    scope: index === 0 ? 'government' : 'department',
    platform: 'trs',
    method: 'link-text',
    evidence: '',
  }));
  return { sourceId, portalUrl: '', status, reason: null, movedTo: null, platform: 'trs', columns, pagesFetched: 1, checkedAt: '' };
}

describe('scoreDiscoveries', () => {
  it('matches column URLs with or without index.html and the folder slash kept', () => {
    assert.equal(normalizeColumnUrl('http://127.0.0.1:9/zfxxgk/zfxxgknb/index.html'), 'http://127.0.0.1:9/zfxxgk/zfxxgknb/');
    assert.equal(normalizeColumnUrl('http://127.0.0.1:9/col/col123/index.html#x'), 'http://127.0.0.1:9/col/col123/');
    assert.equal(normalizeColumnUrl('http://127.0.0.1:9/pages/xxgk/List.aspx?cid=3'), 'http://127.0.0.1:9/pages/xxgk/List.aspx?cid=3');
  });

  it('counts planted columns found, decoys and other bodies taken as wrong, and statuses', () => {
    const manifest = [
      portal('a', 'ok', ['http://h/a/zfxxgknb/', 'http://h/a/zfxxgknb/bm/czj/'], ['http://h/a/xwzx/tzgg/']),
      portal('b', 'moved', ['http://new/b/nb/']),
      portal('c', 'browser-only', ['http://h/c/nb/']),
      portal('d', 'dead', []),
    ];
    const score = scoreDiscoveries(manifest, [
      discovery('a', 'ok', ['http://h/a/zfxxgknb/index.html', 'http://h/a/xwzx/tzgg/']),
      discovery('b', 'moved', ['http://new/b/nb/index.html']),
      discovery('c', 'browser-only', []),
      discovery('d', 'no-column', []),
    ]);
    // The browser-only portal's column is not findable by plain HTTP; the dead one plants none.
    assert.deepEqual([score.columns, score.found, score.wrong, score.statusRight], [3, 2, 1, 3]);
    assert.equal(foundRatio(score), 2 / 3);
    assert.deepEqual(score.wrongColumns, [{ sourceId: 'a', url: 'http://h/a/xwzx/tzgg/', shape: 'trs/links', decoy: true }]);
    assert.deepEqual(
      score.missed.map((miss) => miss.url),
      ['http://h/a/zfxxgknb/bm/czj/'],
    );
    assert.deepEqual(
      score.statusMismatches.map((mismatch) => mismatch.sourceId),
      ['d'],
    );
    assert.deepEqual(score.byShape.get('trait:gbk'), { columns: 3, found: 2, wrong: 1 });
  });
});
