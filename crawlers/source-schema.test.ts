import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { checkSourcesFile, formatSourceProblem } from './source-schema.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-source-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('hints the crawl never read (pagination, listSelector, maxListPages) fail with why, naming each', () => {
  const file = path.join(dir, 'old-hints.yaml');
  writeFileSync(
    file,
    `- id: old\n  name: 旧\n  startUrls: ["https://a.gov.cn/x/"]\n  hints: { pagination: trs, listSelector: "ul a", maxListPages: 9, maxDepth: 3 }\n`,
  );
  const { sources, problems } = checkSourcesFile(file);
  assert.deepEqual(sources, []);
  const lines = problems.map(formatSourceProblem);
  assert.equal(lines.length, 3, lines.join('\n'));
  for (const hint of ['pagination', 'listSelector', 'maxListPages']) {
    assert.ok(
      lines.some((line) => line.includes(`old: hints.${hint}: no longer read (`) && line.endsWith('remove it')),
      hint,
    );
  }
});

test('maxDepth is still a hint the crawl reads', () => {
  const file = path.join(dir, 'depth.yaml');
  writeFileSync(file, `- id: deep\n  name: 深\n  startUrls: ["https://a.gov.cn/x/"]\n  hints: { maxDepth: 3 }\n`);
  const { sources, problems } = checkSourcesFile(file);
  assert.deepEqual(problems, []);
  assert.equal(sources[0]!.hints?.maxDepth, 3);
});
