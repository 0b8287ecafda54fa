/** Builds a probe's context (scripts/hostile/probe.ts) inside the probe's child process, and tears it down. */
import { createServer, type RequestListener, type Server } from 'node:http';
import path from 'node:path';
import { loadConfig, type Config } from '../../config/config.ts';
import type { LocalServer, ProbeContext } from './probe.ts';

/** What the runner hands the child process: where the probe's directories are and which Redis to use. */
export interface ProbeSetup {
  probeDir: string;
  canary: string;
  redisUrl: string;
  queuePrefix: string;
  verbose: boolean;
}

export interface ProbeHarness {
  context: ProbeContext;
  /** Requests (and connections) the forbidden server (127.0.0.2) received. */
  forbiddenHits(): string[];
  /** Lines the probe logged. */
  logs(): string[];
  /** Runs the deferred cleanups (last first), then closes the servers. */
  close(): Promise<void>;
}

export const FORBIDDEN_HOST = '127.0.0.2';

/** The directories of a probe under its own folder: `data/` and `outside/secret.txt`. */
export function probePaths(probeDir: string) {
  const outsideDir = path.join(probeDir, 'outside');
  return { dataDir: path.join(probeDir, 'data'), outsideDir, secretPath: path.join(outsideDir, 'secret.txt') };
}

export function createProbeHarness(setup: ProbeSetup, signal: AbortSignal): ProbeHarness {
  const { dataDir, outsideDir, secretPath } = probePaths(setup.probeDir);
  const overrides = { dataDir, redisUrl: setup.redisUrl, queuePrefix: setup.queuePrefix };
  const configWith = (more: Record<string, unknown>): Config => loadConfig({ env: {}, overrides: { ...overrides, ...more } });
  const servers: Server[] = [];
  const cleanups: (() => unknown)[] = [];
  const lines: string[] = [];
  let forbidden: Promise<{ server: LocalServer; hits: string[] }> | null = null;

  const listen = async (host: string, handler: RequestListener): Promise<{ server: LocalServer; hits: string[] }> => {
    const hits: string[] = [];
    const server = createServer((request, response) => {
      hits.push(`${request.method} ${request.url}`);
      handler(request, response);
    });
    // The inside counts connections too: a WebSocket's upgrade or a preconnect opens one without a request.
    if (host === FORBIDDEN_HOST) server.on('connection', (socket) => hits.push(`connection from port ${socket.remotePort}`));
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return { server: { url: `http://${host}:${port}`, requests: () => [...hits] }, hits };
  };

  const context: ProbeContext = {
    dataDir,
    outsideDir,
    secretPath,
    canary: setup.canary,
    config: configWith({}),
    configWith,
    serve: async (handler) => (await listen('127.0.0.1', handler)).server,
    forbidden: async () => {
      forbidden ??= listen(FORBIDDEN_HOST, (_request, response) => response.end(`internal ${setup.canary}`));
      return (await forbidden).server;
    },
    signal,
    defer: (cleanup) => void cleanups.push(cleanup),
    log: (message) => {
      lines.push(message);
      if (setup.verbose) console.error(`  ${message}`);
    },
  };
  let forbiddenHits: string[] = [];
  return {
    context,
    forbiddenHits: () => forbiddenHits,
    logs: () => lines,
    close: async () => {
      if (forbidden) forbiddenHits = (await forbidden).hits;
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (error) {
          lines.push(`cleanup failed: ${(error as Error).message}`);
        }
      }
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
