import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CATALOG_HOST_DELAY_MS, checkCatalog, filterCatalog, governmentName, readCatalog, sourceFromCatalog } from './catalog.ts';
import type { CatalogEntry, PortalDiscovery, ReportColumn } from './catalog-types.ts';

const huaiyin: CatalogEntry = {
  id: 'gov-320804',
  regionCode: '320804',
  name: '淮阴区',
  level: 'county',
  parentCode: '320800',
  path: '江苏省/淮安市/淮阴区',
  portalUrl: 'https://www.huaiyin.gov.cn/',
};

function column(url: string, scope: ReportColumn['scope']): ReportColumn {
  return { url, scope, platform: 'trs', method: 'path-guess', evidence: 'report titles seen' };
}

function discovery(columns: ReportColumn[], status: PortalDiscovery['status'] = 'ok'): PortalDiscovery {
  return {
    sourceId: huaiyin.id,
    portalUrl: huaiyin.portalUrl,
    status,
    reason: null,
    movedTo: null,
    platform: 'trs',
    columns,
    pagesFetched: 3,
    checkedAt: '2026-12-01T00:00:00Z',
  };
}

describe('the shipped national catalog', () => {
  const entries = readCatalog();

  it('holds every government of the portal list, and checks clean against the region table', () => {
    assert.equal(entries.length, 3209);
    assert.deepEqual(checkCatalog(entries), []);
    const { portalUrl, ...shipped } = entries.find((entry) => entry.id === 'gov-320804')!;
    assert.deepEqual({ ...shipped, portalUrl: huaiyin.portalUrl }, huaiyin);
    assert.match(portalUrl, /^https?:\/\//);
    assert.deepEqual(
      entries
        .filter((entry) => entry.regionCode === null)
        .map((entry) => entry.id)
        .sort(),
      ['gov-cq-liangjiang', 'gov-xjbt'],
    );
  });

  it('picks entries by code prefix and level, a codeless body under its parent', () => {
    const huaian = filterCatalog(entries, { region: '3208' });
    assert.ok(huaian.every((entry) => entry.regionCode!.startsWith('3208')));
    assert.deepEqual(huaian.map((entry) => entry.name).slice(0, 3), ['淮安市', '淮安区', '淮阴区']);
    assert.deepEqual(filterCatalog(entries, { region: '32', level: 'prefecture' }).length, 13);
    assert.ok(filterCatalog(entries, { region: '50' }).some((entry) => entry.id === 'gov-cq-liangjiang'));
  });
});

describe('checkCatalog', () => {
  it('names unknown codes, wrong levels and parents, bad URLs and duplicates', () => {
    const problems = checkCatalog([
      huaiyin,
      { ...huaiyin, id: 'gov-320804' },
      { ...huaiyin, id: 'gov-999999', regionCode: '999999' },
      { ...huaiyin, id: 'gov-320800', regionCode: '320800', name: '淮安市', parentCode: '320000' },
      { ...huaiyin, id: 'gov-320803', regionCode: '320803', name: '淮安区', parentCode: '329900' },
      { ...huaiyin, id: 'gov-320813', regionCode: '320813', name: '洪泽区', portalUrl: 'https://user:secret@www.hongze.gov.cn/' },
      { ...huaiyin, id: 'gov-320826', regionCode: '320826', name: '涟水县', portalUrl: 'ftp://www.lianshui.gov.cn/' },
      { ...huaiyin, id: 'gov-nowhere', regionCode: null },
    ]);
    const lines = problems.map((p) => `${p.entry} ${p.field}: ${p.message}`);
    assert.deepEqual(lines, [
      'gov-320804 id: duplicate id gov-320804',
      'gov-320804 regionCode: duplicate code 320804',
      'gov-999999 regionCode: 999999 is not a known region',
      'gov-320800 regionCode: level county, but 淮安市 is a prefecture',
      'gov-320803 regionCode: parent 329900, but 淮安区 lies under 320800',
      'gov-320803 parentCode: parent 329900 is neither in the catalog nor a known region',
      'gov-320813 portalUrl: the URL carries credentials',
      'gov-320826 portalUrl: not http(s): ftp://www.lianshui.gov.cn/',
      'gov-nowhere regionCode: no region code, and gov-nowhere is not a known body without one',
    ]);
  });
});

describe('readCatalog', () => {
  it('names the line of a malformed entry', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'yangguang-catalog-')), 'portals.jsonl');
    writeFileSync(file, `${JSON.stringify(huaiyin)}\n{"id":"gov-1","level":"town"}\n`);
    assert.throws(() => readCatalog(file), /portals\.jsonl:2: /);
  });
});

describe('sourceFromCatalog', () => {
  it('crawls every discovered column, on their hosts, as the government named by its path', () => {
    const source = sourceFromCatalog(
      huaiyin,
      discovery([
        column('https://www.huaiyin.gov.cn/zfxxgk/zfxxgknb/index.shtml', 'government'),
        column('https://www.huaiyin.gov.cn/zfxxgk/zfxxgknb/bm/index.shtml', 'department'),
        column('https://xxgk.huaiyin.gov.cn/xzxxgk/wangying/zfxxgknb/', 'township'),
      ]),
    );
    assert.deepEqual(source, {
      id: 'gov-320804',
      name: '淮安市淮阴区人民政府',
      regionCode: '320804',
      level: 'county',
      startUrls: [
        'https://www.huaiyin.gov.cn/zfxxgk/zfxxgknb/index.shtml',
        'https://www.huaiyin.gov.cn/zfxxgk/zfxxgknb/bm/index.shtml',
        'https://xxgk.huaiyin.gov.cn/xzxxgk/wangying/zfxxgknb/',
      ],
      allowedHosts: ['www.huaiyin.gov.cn', 'xxgk.huaiyin.gov.cn'],
      // Real portals are asked at most once a second per host, whatever hostDelayMs says.
      politeness: { delayMs: CATALOG_HOST_DELAY_MS },
    });
  });

  it('gives nothing to crawl without a discovery or with no column found', () => {
    assert.equal(sourceFromCatalog(huaiyin), null);
    assert.equal(sourceFromCatalog(huaiyin, discovery([], 'no-column')), null);
  });

  it('lets a portal that challenges scripts switch to the browser', () => {
    const source = sourceFromCatalog(huaiyin, discovery([column('https://www.huaiyin.gov.cn/nb/', 'government')], 'browser-only'));
    assert.equal(source?.crawler, 'auto');
  });
});

describe('governmentName', () => {
  it('names governments as their reports do', () => {
    const entries = readCatalog();
    const named = (code: string) => governmentName(entries.find((entry) => entry.regionCode === code)!);
    assert.equal(named('320000'), '江苏省人民政府');
    assert.equal(named('320800'), '淮安市人民政府');
    assert.equal(named('110101'), '北京市东城区人民政府');
    assert.equal(named('429004'), '仙桃市人民政府');
    assert.equal(named('542500'), '阿里地区行政公署');
    assert.equal(named('659001'), '石河子市人民政府');
  });
});
