import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults: local Redis, data/ and the DuckDB file inside it', () => {
  const config = loadConfig({ env: {}, file: undefined });
  assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
  assert.equal(config.dataDir, 'data');
  assert.equal(config.duckdbPath, path.join('data', 'yangguang.duckdb'));
  assert.equal(config.queuePrefix, 'yangguang');
});

test('environment variables win over the config file, and numbers are coerced', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-config-'));
  const file = path.join(dir, 'yangguang.config.yaml');
  writeFileSync(file, 'dataDir: /srv/yg\nqueuePrefix: fromfile\nmaxBodyBytes: 1000\n');
  const config = loadConfig({ file, env: { YANGGUANG_QUEUE_PREFIX: 'fromenv', REDIS_URL: 'redis://10.0.0.5:6380' } });
  assert.equal(config.queuePrefix, 'fromenv');
  assert.equal(config.redisUrl, 'redis://10.0.0.5:6380');
  assert.equal(config.dataDir, '/srv/yg');
  assert.equal(config.duckdbPath, path.join('/srv/yg', 'yangguang.duckdb'));
  assert.equal(config.maxBodyBytes, 1000);
});

test('a bad value stops with a message naming the key and where it came from', () => {
  assert.throws(
    () => loadConfig({ env: { REDIS_URL: 'http://localhost' } }),
    (error: unknown) => error instanceof ConfigError && /redisUrl \(env REDIS_URL\)/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ env: { YANGGUANG_MAX_BODY_BYTES: '-5' } }),
    (error: unknown) => error instanceof ConfigError && /maxBodyBytes/.test(error.message),
  );
});

test('a config file that cannot be read is an error, not silently skipped', () => {
  assert.throws(() => loadConfig({ file: path.join(tmpdir(), 'yangguang-absent.yaml'), env: {} }), ConfigError);
});

test('an unknown key in the config file is refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yangguang-config-'));
  const file = path.join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ redisURL: 'redis://x' }));
  assert.throws(() => loadConfig({ file, env: {} }), /redisURL/);
});

test('private networks are refused by default; the env spells the allowance true/false/1/0', () => {
  const defaults = loadConfig({ env: {}, file: undefined });
  assert.deepEqual([defaults.allowPrivateNetworks, defaults.allowedPrivateAddresses], [false, []]);
  assert.equal(loadConfig({ env: { YANGGUANG_ALLOW_PRIVATE_NETWORKS: 'false' } }).allowPrivateNetworks, false);
  assert.equal(loadConfig({ env: { YANGGUANG_ALLOW_PRIVATE_NETWORKS: '1' } }).allowPrivateNetworks, true);
  assert.deepEqual(loadConfig({ env: { YANGGUANG_ALLOWED_PRIVATE_ADDRESSES: '10.0.0.5, ::1' } }).allowedPrivateAddresses, [
    '10.0.0.5',
    '::1',
  ]);
  assert.throws(
    () => loadConfig({ env: { YANGGUANG_ALLOW_PRIVATE_NETWORKS: 'yes please' } }),
    /allowPrivateNetworks \(env YANGGUANG_ALLOW_PRIVATE_NETWORKS\)/,
  );
  assert.throws(() => loadConfig({ env: { YANGGUANG_ALLOWED_PRIVATE_ADDRESSES: 'intranet.local' } }), /allowedPrivateAddresses/);
});

test('pages, idle connections and sources are bounded by default', () => {
  const config = loadConfig({ env: {}, file: undefined });
  assert.deepEqual([config.maxPageBytes, config.idleTimeoutSecs, config.sourceBudgetSecs], [4 * 1024 * 1024, 15, 3600]);
});
