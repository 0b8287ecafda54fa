/**
 * Bounded pages and bounded sources (issue #14, holes 3 and 7): pages of gigabytes, gzip bombs, a start page that
 * dribbles, a silent one, huge robots.txt, oversized browser answers, browser pages reaching for the inside (by their
 * requests, their redirects, a WebSocket), and an archive file gone at extract time. Each wants the refusal recorded with its code and the probe's process alive
 * (its heap is capped at 1.5 GB by the runner: buffering any of these whole would crash it).
 */
import type { ServerResponse } from 'node:http';
import { dataLayout, rawPath } from '../../../config/data-layout.ts';
import { crawlSource } from '../../../crawlers/crawl-source.ts';
import { dribble, gzipBomb, hugePage } from '../../../crawlers/hostile-answers.ts';
import type { CrawlOptions } from '../../../crawlers/page-crawler.ts';
import type { Source } from '../../../crawlers/types.ts';
import { accepted, leaked, refused, type LocalServer, type Probe, type ProbeContext } from '../probe.ts';
import { crawlThroughPipeline, policyConfig, recorded, sourceAt, summary } from '../network-support.ts';
import { addHostileJob, startPipeline, waitForFailureRows } from '../support.ts';

const MB = 1024 * 1024;
const REPORT = '2024年政府信息公开工作年度报告';
const listOf = (...links: string[]) =>
  `<html><body><ul>${links.map((href) => `<li><a href="${href}" title="${REPORT}">${REPORT}</a><span>2025-01-20</span></li>`).join('')}</ul></body></html>`;

function html(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  response.end(body);
}

function redirect(response: ServerResponse, status: number, location: string): void {
  response.writeHead(status, { location });
  response.end();
}

/** A portal on 127.0.0.1 answering `routes` by path (404 otherwise); `sent` adds up the bytes the hostile answers wrote. */
async function portal(context: ProbeContext, routes: Record<string, (response: ServerResponse) => void | Promise<number>>) {
  let sent = 0;
  const server = await context.serve((request, response) => {
    const route = routes[request.url ?? ''];
    if (!route) return html(response, 404, 'not found');
    const written = route(response);
    if (written) void written.then((bytes) => (sent += bytes));
  });
  return { url: server.url, sent: () => sent };
}

/** Crawls `routes`' /zfxxgknb/index.html through the pipeline and wants `code` (at `stage`, when given). */
function pageProbe(spec: {
  name: string;
  description: string;
  code: string;
  stage?: string;
  routes: Record<string, (response: ServerResponse) => void | Promise<number>>;
  config?: Record<string, unknown>;
  robots?: 'obey';
  timeoutSecs?: number;
}): Probe {
  return {
    name: spec.name,
    boundary: 'pages',
    description: spec.description,
    timeoutSecs: spec.timeoutSecs ?? 90,
    async run(context) {
      const site = await portal(context, spec.routes);
      const source = sourceAt(`${site.url}/zfxxgknb/index.html`, spec.robots ? { robots: spec.robots } : {});
      const outcome = await crawlThroughPipeline(context, policyConfig(context, spec.config), source);
      const line = recorded(outcome, spec.code, spec.stage);
      return line
        ? refused(`${line}; the portal sent ${Math.round(site.sent() / MB)} MB`)
        : accepted(`expected ${spec.code}; ${summary(outcome)}`);
    },
  };
}

const listPage2Gb = pageProbe({
  name: 'page-list-2gb',
  description: 'a 2 GB list page (chunked, no Content-Length) as the start page: PAGE_TOO_LARGE, read no further than the 4 MB cap',
  code: 'PAGE_TOO_LARGE',
  stage: 'crawl',
  routes: { '/zfxxgknb/index.html': (response) => hugePage(response, 2048 * MB) },
});

const listPageGzipBomb = pageProbe({
  name: 'page-list-gzip-bomb',
  description: 'a 1 MB gzip bomb (1 GB inflated) as the start page: PAGE_TOO_LARGE, the cap counting decompressed bytes',
  code: 'PAGE_TOO_LARGE',
  stage: 'crawl',
  routes: { '/zfxxgknb/index.html': (response) => gzipBomb(response, MB) },
});

const articlePage50Mb = pageProbe({
  name: 'page-article-50mb',
  description: 'a report detail page of 50 MB: recorded by the crawl as PAGE_TOO_LARGE while the rest of the list is crawled',
  code: 'PAGE_TOO_LARGE',
  routes: {
    '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./t20250120_1.html', './report.pdf')),
    '/zfxxgknb/t20250120_1.html': (response) => hugePage(response, 50 * MB),
  },
});

const detailGzipBomb = pageProbe({
  name: 'page-detail-gzip-bomb',
  description: 'a report detail page that is a gzip bomb: recorded by the crawl as PAGE_TOO_LARGE',
  code: 'PAGE_TOO_LARGE',
  routes: {
    '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./t20250120_1.html')),
    '/zfxxgknb/t20250120_1.html': (response) => gzipBomb(response, MB),
  },
});

const documentGzipBomb = pageProbe({
  name: 'page-document-gzip-bomb',
  description:
    'a report PDF link answering a gzip bomb: the fetch fails as BODY_TOO_LARGE (the cap counts decompressed bytes), nothing archived',
  code: 'BODY_TOO_LARGE',
  stage: 'fetch',
  config: { maxBodyBytes: 16 * MB },
  routes: {
    '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./report.pdf')),
    '/zfxxgknb/report.pdf': (response) => gzipBomb(response, MB),
  },
});

const dribblingStartPage = pageProbe({
  name: 'page-dribbling-start-page',
  description:
    'a start page sending a byte a second, under a 600 s request timeout: the 3 s source budget ends it as SOURCE_BUDGET_EXCEEDED, not retried',
  code: 'SOURCE_BUDGET_EXCEEDED',
  stage: 'crawl',
  config: { requestTimeoutSecs: 600, idleTimeoutSecs: 60, sourceBudgetSecs: 3 },
  routes: { '/zfxxgknb/index.html': (response) => dribble(response, 1000) },
});

const silentStartPage = pageProbe({
  name: 'page-silent-start-page',
  description:
    'a start page that sends its headers and then nothing: each try ends at the 1 s idle timeout, timeouts are retried once per crawl, and the job fails as TIMEOUT within its attempts',
  code: 'TIMEOUT',
  stage: 'crawl',
  config: { requestTimeoutSecs: 600, idleTimeoutSecs: 1 },
  routes: {
    '/zfxxgknb/index.html': (response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.write('<html>');
    },
  },
});

/** robots.txt is read up to 512 KiB and parsed as far as it goes: the crawl then goes on. */
function robotsProbe(name: string, description: string, answer: (response: ServerResponse) => Promise<number>): Probe {
  return {
    name,
    boundary: 'pages',
    description,
    timeoutSecs: 90,
    async run(context) {
      const site = await portal(context, {
        '/robots.txt': answer,
        '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./report.pdf')),
      });
      const outcome = await crawlThroughPipeline(
        context,
        policyConfig(context),
        sourceAt(`${site.url}/zfxxgknb/index.html`, { robots: 'obey' }),
      );
      if (outcome.failures.some((row) => row.stage === 'crawl')) return accepted(`the crawl failed: ${summary(outcome)}`);
      if (site.sent() > 64 * MB) return accepted(`robots.txt was read on: the portal sent ${Math.round(site.sent() / MB)} MB`);
      return refused(
        `robots.txt cut at 512 KiB (the portal sent ${Math.round(site.sent() / MB)} MB), the crawl went on: ${summary(outcome)}; peak RSS ${outcome.peakRssMb} MB`,
      );
    },
  };
}

const robotsHuge = robotsProbe(
  'page-robots-2gb',
  'a robots.txt of 2 GB: read up to 512 KiB (RFC 9309 allows ignoring the rest), the crawl goes on',
  (response) => hugePage(response, 2048 * MB),
);
const robotsGzipBomb = robotsProbe(
  'page-robots-gzip-bomb',
  'a robots.txt that is a gzip bomb: read up to 512 KiB of it, the crawl goes on',
  (response) => gzipBomb(response, MB),
);

// ---- the browser ----

/**
 * The browser crawler, called directly, as in production: no proxy. Chromium has no network of its own (every request
 * is sent by the crawler's policy-checked client, every host name resolves to nothing inside chromium).
 */
function browserOptions(context: ProbeContext): CrawlOptions {
  const config = policyConfig(context);
  return {
    userAgent: config.userAgent,
    maxPages: 10,
    requestTimeoutSecs: 20,
    concurrency: 1,
    allowPrivateNetworks: false,
    allowedPrivateAddresses: config.allowedPrivateAddresses,
    maxPageBytes: config.maxPageBytes,
  };
}

/** What a browser probe crawls: a start URL, or a source and a server off its hosts that must see no request. */
type BrowserTarget = string | { source: Source; untouched?: LocalServer };

/** Crawls what `start` gives in the browser and wants `code` recorded (for the start URL or a page it led to). */
function browserProbe(name: string, description: string, code: string, start: (context: ProbeContext) => Promise<BrowserTarget>): Probe {
  return {
    name,
    boundary: 'pages',
    description,
    timeoutSecs: 120,
    async run(context) {
      const target = await start(context);
      const source = typeof target === 'string' ? sourceAt(target, { crawler: 'playwright' }) : target.source;
      const failure = await crawlSource(source, browserOptions(context)).then(
        (result) => result.errors.find((error) => error.code === code) ?? null,
        (error: unknown) => error as { code?: string; message?: string },
      );
      const peak = Math.round(process.resourceUsage().maxRSS / 1024);
      const reached = typeof target === 'string' ? [] : (target.untouched?.requests() ?? []);
      if (reached.length > 0) return leaked(`a server off the source's hosts was asked: ${reached.join(', ')}`);
      return failure?.code === code
        ? refused(`the browser crawl recorded ${code}: ${failure.message?.slice(0, 160)} (peak RSS ${peak} MB)`)
        : accepted(`expected ${code}, got ${failure ? `${failure.code}: ${failure.message}` : 'none'}`);
    },
  };
}

const browserHugePage = browserProbe(
  'page-browser-50mb',
  'a 50 MB page in the browser crawler: PAGE_TOO_LARGE, cut while it streams, before chromium or the worker holds it',
  'PAGE_TOO_LARGE',
  async (context) => {
    const site = await portal(context, { '/zfxxgknb/index.html': (response) => hugePage(response, 50 * MB) });
    return `${site.url}/zfxxgknb/index.html`;
  },
);

const browserGzipBomb = browserProbe(
  'page-browser-gzip-bomb',
  'a gzip bomb as the start page of the browser crawler: PAGE_TOO_LARGE, the cap counting decompressed bytes',
  'PAGE_TOO_LARGE',
  async (context) => {
    const site = await portal(context, { '/zfxxgknb/index.html': (response) => gzipBomb(response, MB) });
    return `${site.url}/zfxxgknb/index.html`;
  },
);

const browserStartInternal = browserProbe(
  'page-browser-start-internal',
  'the browser crawler given a start URL on 127.0.0.2: ADDRESS_REFUSED at the connection the crawler makes for chromium',
  'ADDRESS_REFUSED',
  async (context) => `${(await context.forbidden()).url}/zfxxgknb/index.html`,
);

const browserReportRedirectInternal = browserProbe(
  'page-browser-report-redirect-internal',
  'a report link in the browser crawler redirecting to 127.0.0.2, a host the source even lists: ADDRESS_REFUSED, the redirect never handed to chromium',
  'ADDRESS_REFUSED',
  async (context) => {
    const inside = await context.forbidden();
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./t20250120_1.html')),
      '/zfxxgknb/t20250120_1.html': (response) => redirect(response, 302, `${inside.url}/zfxxgknb/t20250120_1.html`),
    });
    const hosts = [new URL(site.url).host, new URL(inside.url).host];
    return { source: sourceAt(`${site.url}/zfxxgknb/index.html`, { crawler: 'playwright', hosts }) };
  },
);

const browserRedirectOffSite = browserProbe(
  'page-browser-redirect-off-site',
  "a start page in the browser crawler redirecting to a server off the source's hosts: REDIRECT_OFF_SITE before that server is asked anything",
  'REDIRECT_OFF_SITE',
  async (context) => {
    // Another portal on 127.0.0.1 (an address the probe allows), off the source's hosts.
    const elsewhere = await context.serve((_request, response) => html(response, 200, listOf('./report.pdf')));
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => redirect(response, 301, `${elsewhere.url}/zfxxgknb/index.html`),
    });
    return { source: sourceAt(`${site.url}/zfxxgknb/index.html`, { crawler: 'playwright' }), untouched: elsewhere };
  },
);

const browserSubresourcesInternal: Probe = {
  name: 'page-browser-subresources-internal',
  boundary: 'pages',
  description:
    'a page in the browser crawler loading an image, a script fetch and an iframe from 127.0.0.2: each request is refused by the crawler that sends it, none reaches the inside',
  timeoutSecs: 120,
  async run(context) {
    const inside = (await context.forbidden()).url;
    const page = `<html><body><img src="${inside}/pixel.png"><iframe src="${inside}/frame.html"></iframe><script>fetch('${inside}/api').catch(() => {})</script>${listOf('./report.pdf')}</body></html>`;
    const site = await portal(context, { '/zfxxgknb/index.html': (response) => html(response, 200, page) });
    const result = await crawlSource(sourceAt(`${site.url}/zfxxgknb/index.html`, { crawler: 'playwright' }), browserOptions(context));
    if (result.discovered.length !== 1) return accepted(`the page was not crawled: ${result.errors.map((error) => error.code).join(', ')}`);
    return refused('the crawl read the page; its requests to 127.0.0.2 were refused (the runner saw none arrive)');
  },
};

const browserChromiumOwnNetwork: Probe = {
  name: 'page-browser-chromium-own-network',
  boundary: 'pages',
  description:
    "a page in the browser crawler opening a WebSocket, a preconnect, a beacon and a redirecting fetch to 127.0.0.2: chromium's own network is closed, the inside sees no connection at all",
  timeoutSecs: 120,
  async run(context) {
    const inside = (await context.forbidden()).url;
    const wsUrl = inside.replace(/^http/, 'ws');
    const script = `new WebSocket('${wsUrl}/socket'); navigator.sendBeacon('${inside}/beacon', 'x'); fetch('/bounce').catch(() => {});`;
    const page = `<html><head><link rel="preconnect" href="${inside}"><link rel="dns-prefetch" href="${inside}"></head><body><script>${script}</script>${listOf('./report.pdf')}</body></html>`;
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 200, page),
      '/bounce': (response) => redirect(response, 302, `${inside}/bounced`),
    });
    const result = await crawlSource(sourceAt(`${site.url}/zfxxgknb/index.html`, { crawler: 'playwright' }), browserOptions(context));
    if (result.discovered.length !== 1) return accepted(`the page was not crawled: ${result.errors.map((error) => error.code).join(', ')}`);
    return refused('the crawl read the page; the inside saw no connection (WebSocket closed unopened, the rest refused)');
  },
};

// ---- the archive ----

const archiveMissing: Probe = {
  name: 'page-archive-missing',
  boundary: 'pages',
  description: "an extract job whose document's raw archive file is gone: fails at once as ARCHIVE_MISSING (not a bare ENOENT), recorded",
  timeoutSecs: 60,
  async run(context) {
    const { pipeline } = await startPipeline(context);
    const sha256 = 'ab'.repeat(32);
    const fetched = {
      sourceId: 'hostile-portal',
      url: 'http://127.0.0.1:9/zfxxgknb/report.pdf',
      finalUrl: 'http://127.0.0.1:9/zfxxgknb/report.pdf',
      title: REPORT,
      publishedAt: null,
      fetchedAt: new Date().toISOString(),
      status: 200,
      contentType: 'application/pdf',
      sha256,
      byteLength: 1000,
      archivePath: rawPath(dataLayout(context.dataDir), sha256),
      etag: null,
      lastModified: null,
    };
    const end = await addHostileJob(context, pipeline, 'extract', 'extract', { runId: 'hostile-archive-missing', fetched });
    if (end.state !== 'failed' || !end.reason.startsWith('ARCHIVE_MISSING')) return accepted(`the job ended ${end.state}: ${end.reason}`);
    if (end.attempts > 1) return accepted(`ARCHIVE_MISSING was retried (${end.attempts} attempts)`);
    const rows = await waitForFailureRows(context, 'ARCHIVE_MISSING');
    return refused(`failed once as ${end.reason.slice(0, 160)}; failures row: ${rows[0]!.reason.slice(0, 80)}`);
  },
};

export const probes: Probe[] = [
  listPage2Gb,
  listPageGzipBomb,
  articlePage50Mb,
  detailGzipBomb,
  documentGzipBomb,
  dribblingStartPage,
  silentStartPage,
  robotsHuge,
  robotsGzipBomb,
  browserHugePage,
  browserGzipBomb,
  browserStartInternal,
  browserReportRedirectInternal,
  browserRedirectOffSite,
  browserSubresourcesInternal,
  browserChromiumOwnNetwork,
  archiveMissing,
];
