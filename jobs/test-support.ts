/** Helpers for tests and the fault script that run real worker processes (`node bin/yangguang.mjs worker`). */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

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
