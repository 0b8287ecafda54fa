/** Redis connections for the queues, and a private redis-server for the demo when none answers. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

/** A connection BullMQ workers accept (they block, so no per-request retry limit). */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
}

/** True when a Redis answers PING at `url` within `timeoutMs`. */
export async function pingRedis(url: string, timeoutMs = 1500): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export class RedisUnavailableError extends Error {
  readonly code = 'REDIS_UNAVAILABLE';
  readonly retryable = false;
}

export interface RedisHandle {
  url: string;
  /** True when this process started a private redis-server (stopped by stop()). */
  privateServer: boolean;
  stop(): Promise<void>;
}

/**
 * Uses the Redis at `url` if it answers; otherwise, given a `privateDir`, starts a private redis-server there (free
 * port, appendonly) when one is on PATH; otherwise throws a RedisUnavailableError telling how to get one.
 */
export async function ensureRedis(url: string, privateDir: string | null): Promise<RedisHandle> {
  if (await pingRedis(url)) return { url, privateServer: false, stop: async () => {} };
  if (privateDir === null) {
    throw new RedisUnavailableError(
      `no Redis answers at ${url}. Start one (apt-get install -y redis-server) or set REDIS_URL=redis://host:6379`,
    );
  }
  if (spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status !== 0) {
    throw new RedisUnavailableError(
      `no Redis answers at ${url} and redis-server is not installed.\n` +
        '  Install it:  sudo apt-get install -y redis-server   (or: npm ci as root installs it)\n' +
        '  or point yangguang at a Redis:  REDIS_URL=redis://host:6379 yangguang …',
    );
  }
  return startPrivateRedis(privateDir);
}

/**
 * Starts redis-server with AOF in `dir` on `port` (default: a free loopback port); resolves once it answers PING.
 * Started again with the same `dir` and port, it comes back with everything it had (the fault script restarts it so).
 */
export async function startPrivateRedis(dir: string, port?: number): Promise<RedisHandle> {
  mkdirSync(dir, { recursive: true });
  port ??= await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      path.resolve(dir),
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
      '--logfile',
      'redis.log',
    ],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let attempt = 0; attempt < 50; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await pingRedis(url, 500)) {
      return {
        url,
        privateServer: true,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new RedisUnavailableError(`could not start redis-server (see ${path.join(dir, 'redis.log')})`);
}

/** A TCP port on 127.0.0.1 nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
