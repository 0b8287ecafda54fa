/** `yangguang doctor` over the real Redis and a DuckDB file held by another process; `completion bash` run in bash. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { withWarehouse } from '../load/warehouse.ts';
import { checkNode, checkWarehouse, lockHolder } from './doctor.ts';
import { runCli } from './test-support.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(path.join(tmpdir(), 'yg-doctor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('doctor prints one line per check and exits 3 when no Redis answers', async () => {
  const result = await runCli(['doctor'], { REDIS_URL: 'redis://127.0.0.1:9', YANGGUANG_DATA_DIR: dir });
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stdout, /^FAIL  redis +no Redis answers at redis:\/\/127\.0\.0\.1:9/m);
  assert.match(result.stdout, /^ok    node +Node \d+/m);
  assert.match(result.stdout, /^(ok  |warn)  disk +[\d.]+ GB free under /m);
  assert.match(result.stdout, /^doctor: checks=\d+ failed=1 warnings=\d+$/m);
});

test('doctor reports the Redis version and warns of an eviction policy or AOF that would lose jobs', async () => {
  const result = await runCli(['doctor'], { REDIS_URL, YANGGUANG_DATA_DIR: dir });
  assert.match(result.stdout, /^ok    redis +Redis \d+\.\d+/m);
  const redis = spawnSync('redis-cli', ['-u', REDIS_URL, 'config', 'get', 'appendonly'], { encoding: 'utf8' });
  if (redis.status === 0 && redis.stdout.includes('no')) assert.match(result.stdout, /^warn  redis +AOF is off/m);
});

test('doctor names the process that holds the DuckDB file', async () => {
  const file = path.join(dir, 'held.duckdb');
  await withWarehouse(file, async () => undefined);
  const script = path.join(dir, 'hold.mts');
  writeFileSync(
    script,
    `const { withWarehouse } = await import(${JSON.stringify(new URL('../load/warehouse.ts', import.meta.url).href)});
await withWarehouse(${JSON.stringify(file)}, async () => { console.log('held'); await new Promise(() => setInterval(() => {}, 1000)); });`,
  );
  const holder = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve) => holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('held') && resolve()));
    const result = await checkWarehouse(file);
    assert.equal(result.level, 'warn');
    assert.match(result.detail, new RegExp(`held by process ${holder.pid} `));
  } finally {
    holder.kill('SIGKILL');
  }
});

test("the lock holder is read from DuckDB's message; Node versions are held to package.json's engines", () => {
  assert.equal(
    lockHolder('IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242) by user root.'),
    'process 4242 (/usr/bin/node)',
  );
  assert.equal(lockHolder('IO Error: no such file'), null);
  assert.equal(checkNode('20.18.1').level, 'ok');
  assert.equal(checkNode('20.11.0').level, 'fail');
  assert.equal(checkNode('22.3.0').level, 'ok');
  assert.equal(checkNode('18.20.0').level, 'fail');
});

test('`completion bash` completes commands and their options in bash', async () => {
  const script = (await runCli(['completion', 'bash'])).stdout;
  const complete = (words: string[]) =>
    spawnSync(
      'bash',
      ['-c', `${script}\nCOMP_WORDS=(${words.join(' ')}); COMP_CWORD=${words.length - 1}; _yangguang_complete; echo "\${COMPREPLY[@]}"`],
      { encoding: 'utf8' },
    ).stdout.trim();
  assert.equal(complete(['yangguang', 'crawl', '--dr']), '--dry-run');
  assert.equal(complete(['yangguang', 'schedule', 'r']), 'rm');
  assert.equal(complete(['yangguang', 'doc']), 'doctor');
  assert.ok(complete(['yangguang', 'run', '']).split(' ').includes('cancel'));
});
