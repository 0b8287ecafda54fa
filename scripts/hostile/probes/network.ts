/**
 * The network policy and redirects (issue #14, hole 4): internal addresses in start URLs, links and redirect hops;
 * redirects off the source's hosts; URLs of other schemes or with credentials. Each runs a crawl through the real
 * pipeline with the production policy (127.0.0.1 reachable as the probe's portal, 127.0.0.2 standing for the inside,
 * which the runner watches) and wants the refusal recorded with its own code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyAddress } from '../../../crawlers/address-class.ts';
import { permits } from '../../../crawlers/network-policy.ts';
import { crawlSource } from '../../../crawlers/crawl-source.ts';
import { accepted, refused, type Probe, type ProbeContext } from '../probe.ts';
import { crawlThroughPipeline, policyConfig, recorded, sourceAt, summary } from '../network-support.ts';

const REPORT = '2024年政府信息公开工作年度报告';
const listOf = (...links: string[]) =>
  `<html><body><ul>${links.map((href) => `<li><a href="${href}" title="${REPORT}">${REPORT}</a><span>2025-01-20</span></li>`).join('')}</ul></body></html>`;
const PDF = '%PDF-1.4\n% not really a report\n%%EOF\n';

function html(response: import('node:http').ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  response.end(body);
}

/** A probe that crawls a source through the pipeline and wants `code` recorded (at `stage`, when given). */
function crawlProbe(spec: {
  name: string;
  description: string;
  code: string | string[];
  stage?: string;
  source(context: ProbeContext): Promise<import('../../../crawlers/types.ts').Source>;
  config?: Record<string, unknown>;
  /** Extra condition: a message when the probe saw something it must not (a request to the other host…). */
  check?(context: ProbeContext): string | null;
}): Probe {
  return {
    name: spec.name,
    boundary: 'network',
    description: spec.description,
    timeoutSecs: 60,
    async run(context) {
      const outcome = await crawlThroughPipeline(context, policyConfig(context, spec.config), await spec.source(context));
      const wrong = spec.check?.(context) ?? null;
      if (wrong) return accepted(wrong);
      for (const code of [spec.code].flat()) {
        const line = recorded(outcome, code, spec.stage);
        if (line) return refused(line);
      }
      return accepted(`expected ${[spec.code].flat().join(' or ')}; ${summary(outcome)}`);
    },
  };
}

/** A portal on 127.0.0.1 whose `routes` answer by path (404 otherwise), counting requests by path. */
async function portal(context: ProbeContext, routes: Record<string, (response: import('node:http').ServerResponse) => void>) {
  return context.serve((request, response) => {
    const route = routes[request.url ?? ''];
    if (route) route(response);
    else html(response, 404, 'not found');
  });
}

/** A second portal on 127.0.0.1 (another port, so another host) that a redirect must not reach. */
async function elsewhere(context: ProbeContext) {
  return context.serve((_request, response) => html(response, 200, listOf('/elsewhere.pdf')));
}

const untouched = (server: { requests(): string[] }, what: string) => () =>
  server.requests().length > 0 ? `${what} got ${server.requests().join(', ')}` : null;

// ---- internal addresses ----

const startUrlInternal = crawlProbe({
  name: 'net-start-url-internal',
  description: 'a source whose start URL is on 127.0.0.2 (an internal address): refused as ADDRESS_REFUSED before any packet',
  code: 'ADDRESS_REFUSED',
  stage: 'crawl',
  source: async (context) => sourceAt(`${(await context.forbidden()).url}/zfxxgknb/index.html`),
});

const startUrlLocalhostName = (() => {
  let target: { requests(): string[] } | undefined;
  return crawlProbe({
    name: 'net-start-url-localhost-name',
    description:
      'a start URL naming `localhost` (a host name that resolves to loopback) with no private address allowed: ADDRESS_REFUSED at the lookup',
    code: 'ADDRESS_REFUSED',
    stage: 'crawl',
    config: { allowedPrivateAddresses: [] },
    source: async (context) => {
      const server = await context.serve((_request, response) => html(response, 200, listOf('/r.pdf')));
      target = server;
      return sourceAt(`http://localhost:${new URL(server.url).port}/zfxxgknb/`);
    },
    check: () => untouched(target!, 'the loopback portal')(),
  });
})();

/** The job schema already refuses an IPv6 host in allowedHosts (INVALID_JOB): the crawl stage is called directly, to show the policy holds too. */
const startUrlMappedIpv6: Probe = {
  name: 'net-start-url-ipv4-mapped-ipv6',
  boundary: 'network',
  description: 'a crawl whose start URL is on [::ffff:127.0.0.2] (the internal address in IPv4-mapped IPv6 form): ADDRESS_REFUSED',
  async run(context) {
    const config = policyConfig(context);
    const url = `http://[::ffff:127.0.0.2]:${new URL((await context.forbidden()).url).port}/zfxxgknb/`;
    const source = { ...sourceAt(url), allowedHosts: [new URL(url).host] };
    const options = {
      userAgent: config.userAgent,
      maxPages: 10,
      requestTimeoutSecs: 10,
      concurrency: 1,
      allowPrivateNetworks: false,
      allowedPrivateAddresses: config.allowedPrivateAddresses,
    };
    const error = await crawlSource(source, options).then(
      () => null,
      (caught: unknown) => caught as { code?: string; message?: string },
    );
    if (error?.code === 'ADDRESS_REFUSED') return refused(`crawl failed as ADDRESS_REFUSED: ${error.message?.slice(0, 160)}`);
    return accepted(error ? `failed as ${error.code}: ${error.message}` : 'the crawl completed');
  },
};

const startUrlDecimalIp = crawlProbe({
  name: 'net-start-url-decimal-ip',
  description: 'a start URL on http://2130706434:port/ (127.0.0.2 written as one number): ADDRESS_REFUSED',
  code: 'ADDRESS_REFUSED',
  stage: 'crawl',
  source: async (context) => sourceAt(`http://2130706434:${new URL((await context.forbidden()).url).port}/zfxxgknb/`),
});

const startRedirectInternal = crawlProbe({
  name: 'net-start-redirect-to-internal',
  description:
    'a start page on 127.0.0.1 redirecting to 127.0.0.2, a host the source even lists: the hop is refused at the connection (ADDRESS_REFUSED)',
  code: 'ADDRESS_REFUSED',
  stage: 'crawl',
  source: async (context) => {
    const inside = await context.forbidden();
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 302, '', { location: `${inside.url}/latest/meta-data/` }),
    });
    return sourceAt(`${site.url}/zfxxgknb/index.html`, { hosts: [new URL(site.url).host, new URL(inside.url).host] });
  },
});

const reportLinkInternal = crawlProbe({
  name: 'net-report-link-internal',
  description: 'a list page linking a report on 127.0.0.2: the fetch fails as ADDRESS_REFUSED and nothing is archived',
  code: 'ADDRESS_REFUSED',
  stage: 'fetch',
  source: async (context) => {
    const inside = await context.forbidden();
    const site = await portal(context, { '/zfxxgknb/index.html': (response) => html(response, 200, listOf(`${inside.url}/report.pdf`)) });
    return sourceAt(`${site.url}/zfxxgknb/index.html`, { hosts: [new URL(site.url).host, new URL(inside.url).host] });
  },
});

const reportRedirectInternal = crawlProbe({
  name: 'net-report-redirect-to-internal',
  description:
    'a report link on the portal redirecting to 127.0.0.2: refused at fetch (REDIRECT_OFF_SITE or ADDRESS_REFUSED), nothing archived',
  code: ['REDIRECT_OFF_SITE', 'ADDRESS_REFUSED'],
  stage: 'fetch',
  source: async (context) => {
    const inside = await context.forbidden();
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./report.pdf')),
      '/zfxxgknb/report.pdf': (response) => html(response, 302, '', { location: `${inside.url}/report.pdf` }),
    });
    return sourceAt(`${site.url}/zfxxgknb/index.html`);
  },
});

// ---- redirects off the source's hosts ----

const offSite = (
  name: string,
  description: string,
  stage: string,
  routes: (other: string) => Record<string, (response: import('node:http').ServerResponse) => void>,
): Probe => {
  let other: { url: string; requests(): string[] } | undefined;
  return crawlProbe({
    name,
    description,
    code: 'REDIRECT_OFF_SITE',
    ...(stage === 'page' ? {} : { stage }),
    source: async (context) => {
      other = await elsewhere(context);
      const site = await portal(context, routes(other.url));
      return sourceAt(`${site.url}/zfxxgknb/index.html`);
    },
    check: () => untouched(other!, 'the other host')(),
  });
};

const reportRedirectOffSite = offSite(
  'net-report-redirect-off-site',
  'a report link on an allowed host redirecting to another host: REDIRECT_OFF_SITE at fetch naming both URLs; the other host is not asked, nothing archived or loaded',
  'fetch',
  (other) => ({
    '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./t20250120_1.pdf')),
    '/zfxxgknb/t20250120_1.pdf': (response) => html(response, 302, '', { location: `${other}/report.pdf` }),
  }),
);

const listRedirectOffSite = offSite(
  'net-list-page-redirect-off-site',
  'a second list page redirecting to another host: recorded by the crawl as REDIRECT_OFF_SITE, not followed',
  'page',
  (other) => ({
    '/zfxxgknb/index.html': (response) => html(response, 200, `${listOf('./report.pdf')}<a href="index_1.html">下一页</a>`),
    '/zfxxgknb/index_1.html': (response) => html(response, 302, '', { location: `${other}/zfxxgknb/index_1.html` }),
  }),
);

const startRedirectOffSite = offSite(
  'net-start-redirect-off-site',
  'a start page redirecting to another host: the crawl fails as REDIRECT_OFF_SITE, not followed',
  'crawl',
  (other) => ({ '/zfxxgknb/index.html': (response) => html(response, 301, '', { location: `${other}/zfxxgknb/index.html` }) }),
);

const detailRedirectOffSite = offSite(
  'net-detail-page-redirect-off-site',
  'a report detail page redirecting to another host: recorded by the crawl as REDIRECT_OFF_SITE, its attachments not taken',
  'page',
  (other) => ({
    '/zfxxgknb/index.html': (response) => html(response, 200, listOf('./t20250120_1.html')),
    '/zfxxgknb/t20250120_1.html': (response) => html(response, 302, '', { location: `${other}/t20250120_1.html` }),
  }),
);

const redirectToFileScheme = crawlProbe({
  name: 'net-redirect-to-file-url',
  description: 'a start page redirecting to file:///etc/passwd: REDIRECT_OFF_SITE, nothing read',
  code: 'REDIRECT_OFF_SITE',
  stage: 'crawl',
  source: async (context) => {
    const site = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 302, '', { location: `file://${context.secretPath}` }),
    });
    return sourceAt(`${site.url}/zfxxgknb/index.html`);
  },
});

const linkWithCredentials = crawlProbe({
  name: 'net-link-with-credentials',
  description: 'a list page linking a detail page by a URL with user:password@: refused as INVALID_URL, never requested',
  code: 'INVALID_URL',
  source: async (context) => {
    const site = await portal(context, { '/zfxxgknb/index.html': (response) => html(response, 200, '') });
    const host = new URL(site.url).host;
    const withCredentials = await portal(context, {
      '/zfxxgknb/index.html': (response) => html(response, 200, listOf(`http://admin:hunter2@${host}/zfxxgknb/t1.html`)),
    });
    return sourceAt(`${withCredentials.url}/zfxxgknb/index.html`, { hosts: [new URL(withCredentials.url).host, host] });
  },
});

// ---- crawl --url ----

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'yangguang.mjs');

/** Runs `yangguang crawl --url URL` with the probe's configuration; resolves with its exit code and output. */
function crawlUrlCommand(context: ProbeContext, url: string): Promise<{ code: number | null; output: string }> {
  const { config } = context;
  const env = {
    ...process.env,
    REDIS_URL: config.redisUrl,
    YANGGUANG_DATA_DIR: config.dataDir,
    YANGGUANG_QUEUE_PREFIX: config.queuePrefix,
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'crawl', '--url', url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    context.defer(() => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const crawlUrlProbe = (name: string, url: (context: ProbeContext) => string, expected: RegExp, what: string): Probe => ({
  name,
  boundary: 'sources',
  description: `\`yangguang crawl --url\` with ${what}: refused by the sources schema with a clear message, nothing queued`,
  timeoutSecs: 60,
  async run(context) {
    const { code, output } = await crawlUrlCommand(context, url(context));
    context.log(output.trim());
    if (code === 0) return accepted(`exit 0: ${output.trim().split('\n')[0]}`);
    if (!expected.test(output)) return accepted(`exit ${code} without the expected message: ${output.trim().slice(0, 200)}`);
    return refused(
      `exit ${code}: ${output
        .trim()
        .split('\n')
        .find((line) => expected.test(line))
        ?.slice(0, 200)}`,
    );
  },
});

const crawlUrlFile = crawlUrlProbe(
  'net-crawl-url-file',
  (context) => `file://${context.secretPath}`,
  /refusing to crawl file:.*only http and https/,
  'a file: URL',
);
const crawlUrlJavascript = crawlUrlProbe(
  'net-crawl-url-javascript',
  () => 'javascript:fetch("http://127.0.0.2/")',
  /refusing to crawl javascript:.*only http and https/,
  'a javascript: URL',
);
const crawlUrlCredentials = crawlUrlProbe(
  'net-crawl-url-credentials',
  () => 'http://admin:secret@127.0.0.1:9/zfxxgknb/',
  /refusing to crawl .*credentials/,
  'a URL carrying credentials',
);

// ---- addresses never contacted: the classifier alone ----

const neverContacted: Probe = {
  name: 'net-metadata-and-private-addresses-classified',
  boundary: 'network',
  description:
    'cloud metadata (169.254.169.254), link-local, RFC 1918, CGNAT, multicast, ULA and their IPv4-mapped forms are refused by the policy (judged by the classifier, never sent a packet)',
  async run() {
    const addresses = [
      '169.254.169.254',
      'fe80::1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '224.0.0.251',
      'ff02::1',
      'fc00::1',
      'fd00:ec2::254',
      '0.0.0.0',
      '::',
      '::ffff:169.254.169.254',
      '::ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe',
    ];
    const let_through = addresses.filter((address) => permits({ allowPrivateNetworks: false }, address));
    if (let_through.length > 0) return accepted(`the policy lets through ${let_through.join(', ')}`);
    return refused(`all ${addresses.length} refused: ${addresses.map((address) => `${address}=${classifyAddress(address)}`).join(' ')}`);
  },
};

export const probes: Probe[] = [
  startUrlInternal,
  startUrlLocalhostName,
  startUrlMappedIpv6,
  startUrlDecimalIp,
  startRedirectInternal,
  reportLinkInternal,
  reportRedirectInternal,
  reportRedirectOffSite,
  listRedirectOffSite,
  startRedirectOffSite,
  detailRedirectOffSite,
  redirectToFileScheme,
  linkWithCredentials,
  crawlUrlFile,
  crawlUrlJavascript,
  crawlUrlCredentials,
  neverContacted,
];
