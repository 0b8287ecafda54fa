/**
 * The queue UI's guards, in the order a request meets them: the Host allow-list (DNS rebinding), the token with a
 * failed-attempt limit, same-origin checks on every state-changing request (Origin, Sec-Fetch-Site, a CSRF token for
 * forms, JSON only on the API), and the bull-board routes that would create or rewrite jobs or delete a queue's jobs
 * wholesale, which are closed: job data reaches the workers, and only the CLI's commands make it; queued work and the
 * failed jobs that are the evidence of what went wrong are not deleted from a browser.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { isLoopback } from './loopback.ts';

export interface GuardOptions {
  /** The UI's shared secret, when it has one. */
  token?: string;
  /** The address the UI listens on: a specific one is also a name clients may use. */
  listenHost: string;
  /** uiPublicHost: the host name people use to reach the UI beyond loopback. */
  publicHost?: string;
  /** Failed token attempts per client address and window before it is turned away (default 10 per 15 minutes). */
  maxFailedAttempts?: number;
}

/** The form field a state-changing form posts its CSRF token in. */
export const CSRF_FIELD = '_csrf';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FAILED_AUTH_WINDOW_MS = 15 * 60 * 1000;

/**
 * bull-board 9.10's routes that create jobs, rewrite a job's or a scheduler's data, or empty (every waiting job) or
 * obliterate (every job, failed ones included) a queue: method and path under /queues, matched without regard to
 * case, as express routes them. Retry, promote, clean, pause and resume stay: they act on jobs the pipeline made.
 */
const CLOSED_ROUTES: [string, RegExp][] = [
  ['POST', /^\/queues\/api\/queues\/[^/]+\/add\/?$/i],
  ['PATCH', /^\/queues\/api\/queues\/[^/]+\/[^/]+\/update-data\/?$/i],
  ['PATCH', /^\/queues\/api\/queues\/[^/]+\/job-schedulers\/[^/]+\/?$/i],
  ['PUT', /^\/queues\/api\/queues\/[^/]+\/(empty|obliterate)\/?$/i],
];

/** The middleware chain, to mount before every route. `response.locals.csrfToken` holds the token forms must post. */
export function uiGuards(options: GuardOptions): RequestHandler[] {
  const csrfToken = randomBytes(32).toString('base64url');
  return [
    allowHosts(options),
    ...(options.token ? [limitFailedAttempts(options.maxFailedAttempts ?? 10), requireToken(options.token)] : []),
    requireSameOrigin,
    closeJobWritingRoutes,
    requireJsonOnApi,
    express.urlencoded({ extended: false, limit: '16kb' }),
    requireCsrfTokenOnForms(csrfToken),
  ];
}

/** `<input type="hidden">` carrying the CSRF token, for the UI's own forms. */
export function csrfField(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${token}">`;
}

function refuse(response: Response, status: number, message: string): void {
  response.status(status).type('text/plain').send(`${message}\n`);
}

/** The host name of a Host header (`[::1]:3000` → `::1`, `localhost:3000` → `localhost`), lower-cased. */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  if (bracketed) return bracketed[1]!.toLowerCase();
  return header.replace(/:\d+$/, '').toLowerCase();
}

/**
 * A page elsewhere can point its own name at 127.0.0.1 (DNS rebinding) and read the UI as same-origin; the Host it
 * sends still names it. Only loopback names, the address listened on and uiPublicHost are served.
 */
function allowHosts(options: GuardOptions): RequestHandler {
  const named = new Set(
    [options.listenHost, options.publicHost]
      .filter((host): host is string => !!host && !['0.0.0.0', '::'].includes(host))
      .map((host) => host.toLowerCase()),
  );
  return (request, response, next) => {
    const header = request.headers.host ?? '';
    const name = hostName(header);
    if (name === 'localhost' || name.endsWith('.localhost') || isLoopback(name) || named.has(name) || named.has(header.toLowerCase()))
      return next();
    refuse(
      response,
      421,
      `Host "${header.slice(0, 100)}" is not served here: use a loopback address, or set uiPublicHost (YANGGUANG_UI_PUBLIC_HOST) to the name people reach the UI by`,
    );
  };
}

/** Counts only refused tokens (401) per client address; past the limit every request of that address waits out the window. */
function limitFailedAttempts(limit: number): RequestHandler {
  return rateLimit({
    windowMs: FAILED_AUTH_WINDOW_MS,
    limit,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (_request, response) => response.statusCode !== 401,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_request, response) =>
      refuse(response, 429, `too many wrong tokens from this address: try again in ${FAILED_AUTH_WINDOW_MS / 60_000} minutes`),
  });
}

function requireToken(token: string): RequestHandler {
  const expected = Buffer.from(token);
  const matches = (given: string) => {
    const buffer = Buffer.from(given);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  };
  return (request, response, next) => {
    const header = request.headers.authorization ?? '';
    const [scheme, value = ''] = header.split(' ');
    const given =
      scheme?.toLowerCase() === 'bearer'
        ? value
        : scheme?.toLowerCase() === 'basic'
          ? Buffer.from(value, 'base64').toString('utf8').split(':').slice(1).join(':')
          : '';
    if (given && matches(given)) return next();
    response.set('WWW-Authenticate', 'Basic realm="yangguang"');
    refuse(
      response,
      401,
      'the UI token is required: send it as `Authorization: Bearer <token>` or as the basic-auth password (the token is YANGGUANG_UI_TOKEN / uiToken)',
    );
  };
}

/**
 * A browser says where a request comes from: Sec-Fetch-Site, and Origin on every cross-origin or non-GET request.
 * Either naming another site refuses the request; clients that send neither (curl, scripts) are not browsers a page
 * could drive. A browser's cached basic-auth password therefore never lends itself to another site's form.
 */
function requireSameOrigin(request: Request, response: Response, next: NextFunction): void {
  if (!STATE_CHANGING.has(request.method)) return next();
  const site = request.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin')
    return refuse(response, 403, `cross-site ${request.method} refused (Sec-Fetch-Site: ${site.slice(0, 40)})`);
  const origin = request.get('origin');
  if (origin === undefined) return next();
  const host = URL.canParse(origin) ? new URL(origin).host : null;
  if (host !== null && host === request.headers.host) return next();
  refuse(response, 403, `cross-origin ${request.method} refused (Origin: ${origin.slice(0, 100)})`);
}

function closeJobWritingRoutes(request: Request, response: Response, next: NextFunction): void {
  const path = request.originalUrl.split('?')[0]!;
  if (!CLOSED_ROUTES.some(([method, route]) => method === request.method && route.test(path))) return next();
  refuse(
    response,
    403,
    'adding or editing jobs in the UI is disabled, and so is emptying or obliterating a queue: jobs come from `yangguang crawl`, `reprocess` and `schedule`, and failed jobs are the record of what went wrong (retry, promote, clean, pause and resume stay)',
  );
}

/** The JSON API takes JSON (or no body): a form or text/plain body is what a cross-site page can send without CORS. */
function requireJsonOnApi(request: Request, response: Response, next: NextFunction): void {
  if (!STATE_CHANGING.has(request.method) || !request.originalUrl.startsWith('/queues/api/')) return next();
  const type = request.get('content-type');
  const hasBody = Number(request.get('content-length') ?? 0) > 0 || request.get('transfer-encoding') !== undefined;
  if (type === undefined ? !hasBody : request.is('application/json') === 'application/json') return next();
  refuse(response, 415, `the queue API takes application/json, not ${type ?? 'a body without a type'}`);
}

/** Forms (urlencoded or multipart) posted to the UI's own pages carry the CSRF token the pages embed. */
function requireCsrfTokenOnForms(csrfToken: string): RequestHandler {
  const expected = Buffer.from(csrfToken);
  return (request, response, next) => {
    response.locals.csrfToken = csrfToken;
    if (!STATE_CHANGING.has(request.method) || request.originalUrl.startsWith('/queues/api/')) return next();
    if (!request.is(['application/x-www-form-urlencoded', 'multipart/form-data'])) return next();
    const given = Buffer.from(String((request.body as Record<string, unknown> | undefined)?.[CSRF_FIELD] ?? ''));
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    refuse(response, 403, `the form's ${CSRF_FIELD} token is missing or wrong: reload the page and submit again`);
  };
}
