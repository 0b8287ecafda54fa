#!/usr/bin/env node
// Runs every *.test.ts under the project's rooms with node's test runner (Node 20 has no glob discovery).
// Usage: npm test [-- <path filter> ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const rooms = [
  'cli',
  'config',
  'shared',
  'crawlers',
  'extract',
  'transform',
  'load',
  'ledger',
  'jobs',
  'simulator',
  'ui',
  'scripts',
  'test',
];
const filters = process.argv.slice(2);

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const files = rooms
  .flatMap(findTests)
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// The integration tests use the Redis at REDIS_URL: without one they would fail one by one, each with a timeout.
const redisUrl = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const redisAnswers = await new Promise((resolve) => {
  const socket = net.connect({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379), timeout: 2000 });
  socket.once('connect', () => resolve(socket.end() && true));
  socket.once('error', () => resolve(false));
  socket.once('timeout', () => resolve(socket.destroy() && false));
});
if (!redisAnswers) {
  console.error(`the tests need Redis: none answers at ${redisUrl.href} (start one: redis-server --daemonize yes; or set REDIS_URL)`);
  process.exit(1);
}
// One file at a time: integration tests share Redis and the 2-core machine.
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
