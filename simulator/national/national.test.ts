import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import { detectChallenge } from '../../shared/anti-bot.ts';
import { isReportTitle } from '../../crawlers/links.ts';
import { readListPage } from '../../crawlers/read-list-page.ts';
import type { ListRequest } from '../../crawlers/platforms/types.ts';
import type { PortalManifest } from './build-portal.ts';
import { planNationalPortals } from './plan-portals.ts';
import { CHALLENGE_COOKIES } from './render-pages.ts';
import { normalizeColumnUrl } from './score-discovery.ts';
import { startNationalSimulator, type NationalSimulator } from './start-national-simulator.ts';

const PORTALS = 60;
const SEED = 7;
let simulator: NationalSimulator;

before(async () => {
  simulator = await startNationalSimulator({ portals: PORTALS, seed: SEED });
});
after(async () => simulator?.close());

const withStatus = (status: PortalManifest['status']) => simulator.manifest.filter((portal) => portal.status === status);

/** Headers that get a browser-only portal's pages (the cookie its challenge script sets). */
function cookieFor(portal: PortalManifest): Record<string, string> {
  const plan = simulator.plans.find((candidate) => candidate.sourceId === portal.sourceId)!;
  if (!plan.challengeStatus) return {};
  const { name, value } = CHALLENGE_COOKIES[plan.challengeStatus];
  return { cookie: `${name}=${value}` };
}

/** The body as text: UTF-8, or GBK where the page declares gb2312 only in its meta (as a GBK portal does). */
async function decode(response: Response): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const declaresGbk =
    !/charset=/i.test(response.headers.get('content-type') ?? '') &&
    /charset=gb2312/.test(new TextDecoder('latin1').decode(bytes.slice(0, 400)));
  return new TextDecoder(declaresGbk ? 'gbk' : 'utf-8').decode(bytes);
}

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; location: string | null }> {
  const response = await fetch(url, { headers, redirect: 'manual' });
  return { status: response.status, text: await decode(response), location: response.headers.get('location') };
}

/**
 * Every report a column lists, read by the crawler's own list readers through every pager it announces and into
 * its year folders (links under the column that are not planted columns themselves).
 */
async function listedReports(columnUrl: string, headers: Record<string, string>, plantedColumns: Set<string>): Promise<Set<string>> {
  const seen = new Set<string>();
  const reports = new Set<string>();
  const queue: ListRequest[] = [{ url: columnUrl, method: 'GET' }];
  while (queue.length > 0) {
    const request = queue.shift()!;
    const key = `${request.method} ${request.url} ${request.payload ?? ''}`;
    if (seen.has(key) || seen.size > 50) continue;
    seen.add(key);
    const response = await fetch(request.url, {
      method: request.method,
      headers: { ...headers, ...request.headers },
      body: request.payload,
    });
    assert.equal(response.status, 200, request.url);
    const text = await decode(response);
    const listing = readListPage({
      url: request.url,
      method: request.method,
      text,
      $: cheerio.load(text),
      ...(request.payload ? { payload: request.payload } : {}),
    });
    for (const item of listing.items) reports.add(item.url);
    // Stay inside this column: its own pages and year folders, not its sub-columns (they are columns of their own).
    const inside = (next: ListRequest) =>
      next.kind !== 'column' || (next.url.startsWith(columnUrl) && !plantedColumns.has(normalizeColumnUrl(next.url)));
    queue.push(...listing.nextPages.filter(inside));
  }
  return reports;
}

/** Page URLs reachable from `start` by plain anchors (scripts ignored), up to `limit` pages. */
async function reachableByAnchors(start: string, limit: number): Promise<Set<string>> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift()!;
    const { status, text } = await get(url);
    if (status !== 200) continue;
    const $ = cheerio.load(text.replace(/<script[\s\S]*?<\/script>/g, ''));
    $('a[href]').each((_, element) => {
      const target = new URL($(element).attr('href')!, url);
      if (target.hostname !== '127.0.0.1' || target.hash || seen.has(target.href)) return;
      seen.add(target.href);
      queue.push(target.href);
    });
  }
  return seen;
}

describe('national simulator', () => {
  it('plans real governments with a mix of platforms, navigations and statuses', () => {
    assert.equal(simulator.entries.length, PORTALS);
    assert.ok(simulator.entries.every((entry) => /^gov-\d{6}$/.test(entry.id) && entry.portalUrl.startsWith('http://127.0.0.1:')));
    assert.ok(simulator.entries.some((entry) => entry.level === 'province') && simulator.entries.some((entry) => entry.level === 'county'));
    const plans = planNationalPortals(1000, 1);
    for (const shape of ['links', 'script-nav', 'xxgk-host', 'parent-portal', 'path-guess'])
      assert.ok(
        plans.some((plan) => plan.navigation === shape),
        shape,
      );
    for (const status of ['ok', 'dead', 'moved', 'browser-only'])
      assert.ok(
        plans.some((plan) => plan.status === status),
        status,
      );
    assert.ok(new Set(plans.map((plan) => plan.platform)).size >= 8);
  });

  it('answers 200 for every planted column and report, and each column lists exactly its planted reports', async () => {
    for (const portal of simulator.manifest.filter((candidate) => candidate.status !== 'dead')) {
      const headers = cookieFor(portal);
      const plantedColumns = new Set(portal.columns.map((column) => normalizeColumnUrl(column.url)));
      for (const column of portal.columns) {
        const planted = portal.reports.filter((report) => report.columnUrl === column.url).map((report) => report.url);
        const listed = [...(await listedReports(column.url, headers, plantedColumns))];
        // A year folder's breadcrumb (2023年政府信息公开年报, linking the folder itself) reads as a report title too.
        const yearFolders = listed.filter((url) => /\/20\d\dn\/$/.test(url));
        assert.deepEqual(listed.filter((url) => !yearFolders.includes(url)).sort(), planted.sort(), column.url);
      }
      for (const report of portal.reports) assert.equal((await get(report.url, headers)).status, 200, report.url);
    }
  });

  it('titles every planted report as a report and no decoy item as one', async () => {
    const portal = simulator.manifest.find((candidate) => candidate.status === 'ok' && candidate.decoyColumns.length > 0)!;
    assert.ok(portal.reports.every((report) => isReportTitle(report.title)));
    for (const decoy of portal.decoyColumns) {
      const { status, text } = await get(decoy);
      assert.equal(status, 200, decoy);
      const titles = cheerio
        .load(text)('ul.list a[title]')
        .map((_, element) => cheerio.load(element)('a').attr('title'))
        .get();
      assert.ok(titles.length > 0 && titles.some((title) => /年度报告|年度报表|工作报告/.test(title)), decoy);
      assert.ok(
        titles.every((title) => !isReportTitle(title)),
        decoy,
      );
    }
  });

  it('serves some portals in GBK under a gb2312 meta, and answers unknown paths with a 404 or a soft 404 as planned', async () => {
    const plans = simulator.plans.filter((plan) => plan.status === 'ok');
    const gbk = plans.find((plan) => plan.charset === 'gbk')!;
    const gbkHome = await fetch(simulator.entries.find((entry) => entry.id === gbk.sourceId)!.portalUrl);
    assert.equal(gbkHome.headers.get('content-type'), 'text/html');
    assert.ok((await decode(gbkHome)).includes(gbk.siteName));
    for (const soft of [true, false]) {
      const plan = plans.find((candidate) => candidate.softNotFound === soft)!;
      const { status, text } = await get(`${simulator.entries.find((entry) => entry.id === plan.sourceId)!.portalUrl}zfxxgk/nosuchcolumn/`);
      assert.equal(status, soft ? 200 : 404);
      assert.match(text, /不存在/);
    }
  });

  it('refuses connections on dead portals', async () => {
    const dead = simulator.entries.filter((entry) => withStatus('dead').some((portal) => portal.sourceId === entry.id));
    assert.ok(dead.length > 0 || planNationalPortals(PORTALS, SEED).every((plan) => plan.status !== 'dead'));
    for (const entry of dead)
      await assert.rejects(fetch(entry.portalUrl), (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED');
  });

  it('redirects moved portals to their new host, which serves the columns', async () => {
    const moved = (await startNationalSimulator({ portals: 400, seed: SEED })) as NationalSimulator;
    try {
      const portals = moved.manifest.filter((portal) => portal.status === 'moved');
      assert.ok(portals.length > 0);
      for (const portal of portals) {
        const entry = moved.entries.find((candidate) => candidate.id === portal.sourceId)!;
        const answer = await get(entry.portalUrl);
        assert.equal(answer.status, 301);
        assert.equal(answer.location, portal.movedTo);
        assert.notEqual(new URL(portal.movedTo!).host, new URL(entry.portalUrl).host);
        assert.ok(portal.columns.length > 0 && portal.columns.every((column) => !column.url.startsWith(new URL(entry.portalUrl).origin)));
      }
    } finally {
      await moved.close();
    }
  });

  it('answers scripts on browser-only portals with a 412 $_ts or 521 __jsl_clearance challenge the crawler recognises', async () => {
    const portals = withStatus('browser-only');
    assert.ok(portals.length > 0);
    for (const portal of portals) {
      const entry = simulator.entries.find((candidate) => candidate.id === portal.sourceId)!;
      const { status, text } = await get(entry.portalUrl);
      assert.ok(status === 412 || status === 521);
      assert.match(text, status === 412 ? /\$_ts/ : /__jsl_clearance/);
      assert.ok(detectChallenge(status, text));
      assert.equal((await get(entry.portalUrl, cookieFor(portal))).status, 200);
    }
  });

  it('links the government column from the home page only where the portal does', async () => {
    for (const portal of withStatus('ok')) {
      const entry = simulator.entries.find((candidate) => candidate.id === portal.sourceId)!;
      const column = portal.columns.find((candidate) => candidate.scope === 'government')!;
      const reachable = await reachableByAnchors(entry.portalUrl, 80);
      const linked = reachable.has(column.url) || reachable.has(column.url.replace(/\/$/, '/index.html'));
      const expected = ['links', 'xxgk-host', 'parent-portal'].includes(portal.navigation);
      assert.equal(linked, expected, `${portal.sourceId} ${portal.navigation} ${column.url}`);
    }
  });

  it('plants the same portals for the same seed and others for another seed', async () => {
    assert.deepEqual(planNationalPortals(200, 3), planNationalPortals(200, 3));
    assert.notDeepEqual(
      planNationalPortals(200, 3).map((plan) => plan.sourceId),
      planNationalPortals(200, 4).map((plan) => plan.sourceId),
    );
    const again = await startNationalSimulator({ portals: PORTALS, seed: SEED });
    try {
      const portOf = new Map<string, string>();
      const withoutPorts = (sim: NationalSimulator) =>
        JSON.stringify(sim.manifest).replace(/127\.0\.0\.1:(\d+)/g, (_, port: string) => {
          if (!portOf.has(`${sim === again}:${port}`))
            portOf.set(`${sim === again}:${port}`, `host${[...portOf.keys()].filter((key) => key.startsWith(`${sim === again}:`)).length}`);
          return portOf.get(`${sim === again}:${port}`)!;
        });
      assert.equal(withoutPorts(again), withoutPorts(simulator));
    } finally {
      await again.close();
    }
  });
});
