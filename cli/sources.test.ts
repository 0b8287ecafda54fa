import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { catalogFiles, checkSources } from './sources.ts';
import { readSources } from './read-sources.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-sources-'));
function file(name: string, text: string): string {
  const full = path.join(dir, name);
  writeFileSync(full, text);
  return full;
}

test('the catalog in sources/ is valid and uses the optional fields', () => {
  const files = catalogFiles();
  assert.ok(files.length > 0);
  const lines: string[] = [];
  assert.equal(checkSources(files, (line) => lines.push(line)), 0, lines.join('\n'));
  const sources = files.flatMap(readSources);
  assert.ok(sources.some((source) => source.crawler === 'auto' && source.politeness?.delayMs));
  for (const source of sources) assert.ok(source.allowedHosts.length > 0);
});

test('names file, entry, field and message for each problem, and exits 1', () => {
  const bad = file(
    'bad.yaml',
    `- id: ok-one\n  name: 好\n  startUrls: ["https://a.gov.cn/x/"]\n- id: broken\n  name: 坏\n  startUrls: ["https://b.gov.cn/"]\n  allowedHosts: ["c.gov.cn"]\n  crawler: auto\n  tls: maybe\n  politeness: { delayMs: -5 }\n- id: hosty\n  name: 主机\n  startUrls: ["https://b.gov.cn/"]\n  allowedHosts: ["c.gov.cn"]\n- id: ok-one\n  name: dup\n  startUrls: ["ftp://d.gov.cn/"]\n`,
  );
  const lines: string[] = [];
  assert.equal(checkSources([bad], (line) => lines.push(line)), 1);
  const text = lines.join('\n');
  assert.match(text, /bad\.yaml: broken: tls: /);
  assert.match(text, /bad\.yaml: broken: politeness\.delayMs: /);
  assert.match(text, /bad\.yaml: hosty: startUrls\.0: host b\.gov\.cn is not in allowedHosts/);
  assert.match(text, /bad\.yaml: ok-one: startUrls\.0: Invalid URL/);
  assert.throws(() => readSources(bad), /invalid sources file/);
});

test('an unreadable YAML file is one problem for the file', () => {
  const lines: string[] = [];
  assert.equal(checkSources([file('broken.yaml', '- id: [unclosed\n')], (line) => lines.push(line)), 1);
  assert.match(lines[0]!, /broken\.yaml: \(file\): /);
});
