/** Helpers for tests and the fault script: a test's pipeline, real worker processes (`node bin/yangguang.mjs worker`). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig, type Config, type LoadConfigOptions } from '../config/config.ts';
import { openPipeline, startWorkers, type Pipeline, type WorkerOptions } from './pipeline.ts';

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'yangguang.mjs');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  output(): string;
}

/** Spawns `yangguang worker` with its configuration in the environment. */
export function spawnWorker(env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, exited, output: () => output };
}

/** Kills the process if it still runs and waits for its end. */
export async function killWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill(signal);
  await worker.exited;
}

/** Polls `check` every `everyMs` until it returns a value other than undefined/false; aborts with `signal`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, signal: AbortSignal, everyMs = 100): Promise<T> {
  for (;;) {
    signal.throwIfAborted();
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** An HTTP server on 127.0.0.1 that holds every request until released, counting the requests it got. */
export interface HoldingServer {
  url: string;
  requests(): number;
  /** Answers held and future requests with `respond`. */
  release(respond: (request: IncomingMessage, response: ServerResponse) => void): void;
  close(): Promise<void>;
}

export async function startHoldingServer(): Promise<HoldingServer> {
  let count = 0;
  let responder: ((request: IncomingMessage, response: ServerResponse) => void) | null = null;
  const held: [IncomingMessage, ServerResponse][] = [];
  const server: Server = createServer((request, response) => {
    count += 1;
    if (responder) responder(request, response);
    else held.push([request, response]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    release: (respond) => {
      responder = respond;
      for (const [request, response] of held.splice(0)) if (!response.destroyed) respond(request, response);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deletes every Redis key matching `pattern` (a test's queue prefix). */
export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** A pipeline for one test file on the real Redis: its own temp data dir and queue prefix, both removed by close(). */
export interface TestPipeline {
  dir: string;
  config: Config;
  pipeline: Pipeline;
  redisUrl: string;
  /** The environment a child process (`yangguang worker`, the CLI) needs to work on this pipeline. */
  env: Record<string, string>;
  /** Starts in-process workers on the pipeline; close() closes them before the queues. */
  startWorkers(options?: WorkerOptions): Worker[];
  /**
   * Closes the workers started here and the queues, then deletes the prefix's Redis keys and the temp dir. Every
   * step is tried even when one before it failed (the first failure is thrown at the end); a second call does nothing.
   */
  close(): Promise<void>;
}

type ConfigOverrides = NonNullable<LoadConfigOptions['overrides']>;

/**
 * Opens a pipeline for the test file `name`: temp dir `yangguang-<name>-…` as the data dir, queue prefix
 * `yg-test-<name>-<pid>-<ms>`, no environment. `overrides` win over those; a function gets the temp dir, to place
 * files in it (a catalog, the data dir one level down).
 */
export async function openTestPipeline(
  name: string,
  overrides: ConfigOverrides | ((dir: string) => ConfigOverrides) = {},
): Promise<TestPipeline> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const dir = await mkdtemp(path.join(tmpdir(), `yangguang-${name}-`));
  let config: Config;
  let pipeline: Pipeline;
  try {
    const chosen = typeof overrides === 'function' ? overrides(dir) : overrides;
    const queuePrefix = `yg-test-${name}-${process.pid}-${Date.now()}`;
    config = loadConfig({ env: {}, overrides: { redisUrl, dataDir: dir, queuePrefix, ...chosen } });
    pipeline = await openPipeline(config);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const workers: Worker[] = [];
  let closing: Promise<void> | undefined;
  return {
    dir,
    config,
    pipeline,
    redisUrl: config.redisUrl,
    env: childEnv(config),
    startWorkers: (options) => {
      const started = startWorkers(pipeline, options);
      workers.push(...started);
      return started;
    },
    close: () =>
      (closing ??= runEach([
        () => Promise.all(workers.map((worker) => worker.close())),
        () => pipeline.close(),
        () => deleteKeys(config.redisUrl, `${config.queuePrefix}:*`),
        () => rm(dir, { recursive: true, force: true }),
      ])),
  };
}

/** A test pipeline (private networks allowed), a holding server for its fetches, and `yangguang worker` processes on it. */
export interface WorkerProcessTest extends TestPipeline {
  server: HoldingServer;
  /** Every worker process startWorker() spawned, in order; close() kills those still running. */
  workers: WorkerProcess[];
  /** Spawns `yangguang worker --queues <queues>` on the pipeline, its request timeout 120 s (the server holds requests). */
  startWorker(): WorkerProcess;
  /** Kills the worker processes, closes the pipeline (TestPipeline.close()), then the server; a second call does nothing. */
  close(): Promise<void>;
}

/** Opens `openTestPipeline(name)` with private networks allowed, and a holding server; `queues` is the workers' --queues. */
export async function openWorkerProcessTest(name: string, queues: string): Promise<WorkerProcessTest> {
  const fixture = await openTestPipeline(name, { allowPrivateNetworks: true });
  const server = await startHoldingServer().catch(async (error: unknown) => {
    await fixture.close();
    throw error;
  });
  const workers: WorkerProcess[] = [];
  let closing: Promise<void> | undefined;
  return {
    ...fixture,
    server,
    workers,
    startWorker: () => {
      const worker = spawnWorker({ ...fixture.env, YANGGUANG_REQUEST_TIMEOUT_SECS: '120' }, ['--queues', queues]);
      workers.push(worker);
      return worker;
    },
    close: () =>
      (closing ??= runEach([() => Promise.all(workers.map((worker) => killWorker(worker))), () => fixture.close(), () => server.close()])),
  };
}

function childEnv(config: Config): Record<string, string> {
  return {
    REDIS_URL: config.redisUrl,
    YANGGUANG_DATA_DIR: config.dataDir,
    YANGGUANG_QUEUE_PREFIX: config.queuePrefix,
    ...(config.allowPrivateNetworks ? { YANGGUANG_ALLOW_PRIVATE_NETWORKS: '1' } : {}),
  };
}

/** Runs the steps in order, each even when one before it failed; throws the first failure at the end. */
async function runEach(steps: (() => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw failures[0];
}
