/**
 * The queue UI: bull-board for every queue (retry, clean, inspect), plus pages of runs, of failed documents and
 * of the catalog's portal health, read from DuckDB. Binds 127.0.0.1 unless given a token; with a token every request needs it (bearer or basic).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Pipeline } from '../jobs/pipeline.ts';
import { renderFailuresPage, renderPortalsPage, renderRunsPage } from './pages.ts';

export interface UiOptions {
  /** Address to listen on; default 127.0.0.1. Any non-loopback address needs a token. */
  host?: string;
  /** TCP port; 0 picks a free one. Default 3000. */
  port?: number;
  /** Shared secret: `Authorization: Bearer <token>`, or basic auth with the token as password. */
  token?: string;
}

export class UiBindError extends Error {
  readonly code = 'UI_NEEDS_TOKEN';
  readonly retryable = false;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Starts the UI; resolves with its URL once listening. */
export async function startUi(pipeline: Pipeline, options: UiOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.token) {
    throw new UiBindError(`refusing to listen on ${host} without a token: pass --token or set YANGGUANG_UI_TOKEN`);
  }
  const app = express();
  app.disable('x-powered-by');
  if (options.token) app.use(requireToken(options.token));

  const board = new ExpressAdapter();
  board.setBasePath('/queues');
  createBullBoard({ queues: Object.values(pipeline.queues).map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  app.use('/queues', board.getRouter());
  app.get('/', (_request, response) => response.redirect('/runs'));
  app.get('/runs', page(() => renderRunsPage(pipeline.config.duckdbPath)));
  app.get('/failures', page(() => renderFailuresPage(pipeline.config.duckdbPath)));
  app.get('/portals', page(() => renderPortalsPage(pipeline.config.duckdbPath)));

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(options.port ?? 3000, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function page(render: () => Promise<string>) {
  return async (_request: Request, response: Response, next: NextFunction) => {
    try {
      response.type('html').send(await render());
    } catch (error) {
      next(error);
    }
  };
}

function requireToken(token: string) {
  const expected = Buffer.from(token);
  const matches = (given: string) => {
    const buffer = Buffer.from(given);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };
  return (request: Request, response: Response, next: NextFunction) => {
    const header = request.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ');
    const given =
      scheme?.toLowerCase() === 'bearer' ? value
      : scheme?.toLowerCase() === 'basic' ? Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':')
      : '';
    if (given && matches(given)) return next();
    response.status(401).set('WWW-Authenticate', 'Basic realm="yangguang"').send('token required');
  };
}
