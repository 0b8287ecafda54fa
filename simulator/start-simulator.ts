/**
 * Starts the crawler-testing sites (simulator/sites/*.ts), each on its own port of 127.0.0.1, with a source per
 * site and the manifest of its planted reports. Separate from the demo portals, whose planted set is fixed.
 */
import type { Source } from '../crawlers/types.ts';
import { listen, type RequestObserver } from './http-util.ts';
import { buildChallengeSite } from './sites/challenge-site.ts';
import { buildDuplicatesSite } from './sites/duplicates-site.ts';
import { buildFlakySite } from './sites/flaky-site.ts';
import { buildGbkSite } from './sites/gbk-site.ts';
import { buildJsonApiSite } from './sites/json-api-site.ts';
import { buildMovedSite } from './sites/moved-site.ts';
import type { SiteBuild } from './sites/site-kit.ts';
import { buildTrapsSite } from './sites/traps-site.ts';
import { buildVsbSite } from './sites/vsb-site.ts';

/** A running site: its source and the absolute URLs of every document planted in it. */
export interface SimulatedSite {
  id: string;
  baseUrl: string;
  source: Source;
  /** Per planted report: its title and the URLs a crawler must discover for it. */
  planted: { id: string; title: string; documentUrls: string[] }[];
}

export interface Simulator {
  sites: SimulatedSite[];
  site(id: string): SimulatedSite;
  close(): Promise<void>;
}

/** Every site module, by id. */
export const SITE_BUILDERS: Record<string, () => SiteBuild> = {
  vsb: buildVsbSite,
  gkmlpt: buildJsonApiSite,
  gbk: buildGbkSite,
  challenge: () => buildChallengeSite(),
  challenge200: () => buildChallengeSite({ status200: true }),
  flaky: () => buildFlakySite(),
  traps: buildTrapsSite,
  duplicates: buildDuplicatesSite,
  moved: buildMovedSite,
};

/** Starts the given sites (default: all); each also serves /__manifest.json with its planted reports. `onRequest` sees every answer. */
export async function startSimulator(options: { sites?: string[]; host?: string; onRequest?: RequestObserver } = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const sites: SimulatedSite[] = [];
  const closers: (() => Promise<void>)[] = [];
  for (const id of options.sites ?? Object.keys(SITE_BUILDERS)) {
    const build = SITE_BUILDERS[id]!();
    let manifest = '[]';
    const server = await listen(
      host,
      (request, url, body) =>
        url.pathname === '/__manifest.json'
          ? { status: 200, contentType: 'application/json', body: manifest }
          : build.handler(request, url, body),
      options.onRequest,
    );
    closers.push(server.close);
    const planted = build.planted.map((report) => ({
      id: report.id,
      title: report.title,
      documentUrls: report.documentPaths.map((path) => server.origin + path),
    }));
    manifest = JSON.stringify(planted);
    sites.push({
      id: build.id,
      baseUrl: server.origin,
      planted,
      source: {
        id: `sim-${build.id}`,
        name: build.name,
        startUrls: build.startPaths.map((path) => server.origin + path),
        allowedHosts: [new URL(server.origin).host],
        ...(build.crawler ? { crawler: build.crawler } : {}),
      },
    });
  }
  return {
    sites,
    site: (id) => sites.find((candidate) => candidate.id === id)!,
    close: async () => void (await Promise.all(closers.map((close) => close()))),
  };
}
