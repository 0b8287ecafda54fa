/**
 * The queue UI: bull-board for every queue (retry, clean, inspect), plus pages of runs, of failed documents and
 * of the catalog's portal health, read from DuckDB. Binds 127.0.0.1 unless given a token; with a token every request needs it
(bearer or basic). Every request passes the guards of security.ts first (Host allow-list, token, same-origin, no job writes).
 */
import type { Server } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express from 'express';
import helmet from 'helmet';
import { uiTokenWeakness } from '../config/ui-token.ts';
import type { Pipeline } from '../jobs/pipeline.ts';
import { mountPages } from './routes.ts';
import { isLoopback } from './loopback.ts';
import { uiGuards } from './security.ts';

export interface UiOptions {
  /** Address to listen on; default 127.0.0.1. Any non-loopback address needs a token. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Shared secret: `Authorization: Bearer <token>`, or basic auth with the token as password. */
  token?: string;
  /** uiPublicHost: the name people reach the UI by beyond loopback (besides loopback names and `host`). */
  publicHost?: string;
}

export class UiBindError extends Error {
  readonly code = 'UI_NEEDS_TOKEN';
  readonly retryable = false;
}

/** Starts the UI; resolves with its URL once listening. */
export async function startUi(pipeline: Pipeline, options: UiOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) {
    throw new UiBindError(
      `refusing to listen on ${host} without a token: set YANGGUANG_UI_TOKEN (or uiToken in the config file); \`yangguang ui --new-token\` prints a strong one`,
    );
  }
  const weakness = options.token === undefined ? null : uiTokenWeakness(options.token);
  if (weakness) throw new UiBindError(`the UI token (YANGGUANG_UI_TOKEN / uiToken) is ${weakness}`);
  const app = express();
  app.disable('x-powered-by');
  // Its default CSP would block bull-board's bundled page; the other headers (no framing, nosniff, …) fit.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(
    uiGuards({
      listenHost: host,
      ...(options.token ? { token: options.token } : {}),
      ...(options.publicHost ? { publicHost: options.publicHost } : {}),
    }),
  );

  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: Object.values(pipeline.queues).map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  app.use('/queues', board.getRouter());
  mountPages(app, pipeline);

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 3000, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
