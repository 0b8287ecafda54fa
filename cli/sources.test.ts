import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CatalogEntry, PortalDiscovery } from '../crawlers/catalog-types.ts';
import { recordDiscoveries } from '../load/discoveries.ts';
import { withWarehouse } from '../load/warehouse.ts';
import { catalogFiles, checkSources, listSources, printSources } from './sources.ts';
import { catalogSources } from '../jobs/catalog-runs.ts';
import { readSources } from './read-sources.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-sources-'));
after(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

function check(files: string[]): { code: number; lines: string[] } {
  const lines: string[] = [];
  const code = checkSources(files, (line) => lines.push(line));
  return { code, lines };
}

describe('sources check', () => {
  test('checks the national catalog and the example sources files by default, ending with the counts', () => {
    const { code, lines } = check([]);
    const examples = catalogFiles().flatMap(readSources).length;
    assert.deepEqual(lines, [`sources: entries=${3209 + examples} errors=0`]);
    assert.equal(code, 0);
  });

  test('the example sources files use the optional fields', () => {
    const sources = catalogFiles().flatMap(readSources);
    assert.ok(sources.some((source) => source.crawler === 'auto' && source.politeness?.delayMs));
    for (const source of sources) assert.ok(source.allowedHosts.length > 0);
  });

  test('names file, entry, field and message for each problem, and exits 1', () => {
    const bad = file(
      'bad.yaml',
      `- id: ok-one\n  name: 好\n  startUrls: ["https://a.gov.cn/x/"]\n- id: broken\n  name: 坏\n  startUrls: ["https://b.gov.cn/"]\n  allowedHosts: ["c.gov.cn"]\n  crawler: auto\n  tls: maybe\n  politeness: { delayMs: -5 }\n- id: hosty\n  name: 主机\n  startUrls: ["https://b.gov.cn/"]\n  allowedHosts: ["c.gov.cn"]\n- id: ok-one\n  name: dup\n  startUrls: ["ftp://d.gov.cn/"]\n`,
    );
    const { code, lines } = check([bad]);
    assert.equal(code, 1);
    const text = lines.join('\n');
    assert.match(text, /bad\.yaml: broken: tls: /);
    assert.match(text, /bad\.yaml: broken: politeness\.delayMs: /);
    assert.match(text, /bad\.yaml: hosty: startUrls\.0: host b\.gov\.cn is not in allowedHosts/);
    assert.match(text, /bad\.yaml: ok-one: startUrls\.0: not an http\(s\) URL/);
    assert.equal(lines.at(-1), `sources: entries=4 errors=${lines.length - 1}`);
    assert.throws(() => readSources(bad), /invalid sources file/);
  });

  test('an unreadable YAML file is one problem for the file', () => {
    const { code, lines } = check([file('broken.yaml', '- id: [unclosed\n')]);
    assert.equal(code, 1);
    assert.match(lines[0]!, /broken\.yaml: \(file\): /);
    assert.equal(lines.at(-1), 'sources: entries=0 errors=1');
  });

  test('checks a catalog file against the region table', () => {
    const entry: CatalogEntry = {
      id: 'gov-320804',
      regionCode: '320804',
      name: '淮阴区',
      level: 'county',
      parentCode: '320800',
      path: '江苏省/淮安市/淮阴区',
      portalUrl: 'https://www.huaiyin.example/',
    };
    const catalog = file(
      'portals.jsonl',
      [entry, { ...entry, id: 'gov-320899', regionCode: '320899' }].map((e) => JSON.stringify(e)).join('\n'),
    );
    const { code, lines } = check([catalog]);
    assert.equal(code, 1);
    assert.deepEqual(lines, [`${catalog}: gov-320899: regionCode: 320899 is not a known region`, 'sources: entries=2 errors=1']);
  });
});

const checkedAt = '2026-12-01T08:00:00.000Z';
function discovery(sourceId: string, status: PortalDiscovery['status'], urls: string[]): PortalDiscovery {
  const columns = urls.map((url) => ({
    url,
    scope: 'government' as const,
    platform: 'trs' as const,
    method: 'link-text' as const,
    evidence: 'link text 政府信息公开年报',
  }));
  return {
    sourceId,
    portalUrl: 'https://portal.example/',
    status,
    reason: status === 'ok' ? null : 'no column',
    movedTo: null,
    platform: 'trs',
    columns,
    pagesFetched: 3,
    checkedAt,
  };
}

describe('the national catalog with its discoveries', async () => {
  const duckdbPath = path.join(dir, 'warehouse.duckdb');
  await withWarehouse(duckdbPath, ({ connection }) =>
    recordDiscoveries(connection, [
      discovery('gov-320804', 'ok', ['http://127.0.0.1:9/huaiyin/zfxxgknb/']),
      discovery('gov-320803', 'no-column', []),
    ]),
  );

  test('sources list: the entries of a region, each with its latest discovery', async () => {
    const listed = await listSources({ duckdbPath }, { region: '3208' });
    assert.deepEqual(listed.map((s) => s.regionCode).slice(0, 3), ['320800', '320803', '320804']);
    assert.deepEqual(listed.map((s) => s.discovery).slice(0, 3), [
      null,
      { status: 'no-column', columns: 0, checkedAt },
      { status: 'ok', columns: 1, checkedAt },
    ]);
    const lines: string[] = [];
    await printSources({ duckdbPath }, { region: '3208', level: 'county' }, (line) => lines.push(line));
    assert.match(lines[0]!, /320804 .*淮阴区 .*county .*320800 .*ok 2026-12-01 .*1/);
    assert.equal(lines.at(-1), `${listed.length - 1} catalog entries, 2 discovered`);
  });

  test('sources list without a warehouse lists the catalog alone', async () => {
    const listed = await listSources({ duckdbPath: path.join(dir, 'none.duckdb') }, { level: 'province' });
    assert.equal(listed.length, 31);
    assert.ok(listed.every((source) => source.discovery === null));
  });

  test('crawl --region: only entries with discovered columns become sources', async () => {
    const { sources, undiscovered } = await catalogSources({ duckdbPath }, { region: '3208' });
    assert.deepEqual(
      sources.map((s) => [s.id, s.name, s.regionCode, s.level, s.startUrls, s.allowedHosts]),
      [['gov-320804', '淮安市淮阴区人民政府', '320804', 'county', ['http://127.0.0.1:9/huaiyin/zfxxgknb/'], ['127.0.0.1:9']]],
    );
    assert.ok(undiscovered.some((entry) => entry.id === 'gov-320803'));
    assert.ok(undiscovered.some((entry) => entry.id === 'gov-320800'));
  });
});
