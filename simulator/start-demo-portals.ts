/** Starts the demo portals, each on its own port of 127.0.0.1, and lists the reports planted in them. */
import type { Source } from '../crawlers/types.ts';
import type { Level } from '../shared/types.ts';
import { buildHanwebPortal } from './hanweb-portal.ts';
import { listen, type Handler, type RequestObserver } from './http-util.ts';
import { loadPlantedData, type ColumnEdit, type PlantedAnomaly, type PlantedFormat, type ScanPublication } from './planted-data.ts';
import type { PortalBuild } from './portal-spec.ts';
import { isScanPublication } from './scan-publications.ts';
import { buildTrsPortal } from './trs-portal.ts';

/** A statutory report planted in a demo portal, with the figures its tables show. */
export interface PlantedReport {
  id: string;
  portalId: string;
  issuer: string;
  regionName: string;
  regionCode: string;
  level: Level;
  year: number;
  format: PlantedFormat;
  title: string;
  /** YYYY-MM-DD. */
  publishedAt: string;
  /** Detail page holding the statutory tables as HTML; null when the page only links the PDF. */
  htmlUrl: string | null;
  /** The PDF attachment as linked from the detail page; null when the report is published in HTML only. */
  pdfUrl: string | null;
  /** The detail page, whatever it holds. */
  detailUrl: string;
  /** Further parts of the detail page (t…_1.html…) when the report runs over several pages; usually none. */
  partUrls: string[];
  /** How the report is published as scans (startDemoPortals({ scans: true })), or null for a text report. */
  scanned: ScanPublication | null;
  /** The scanned page images the detail page shows or links (scan-images, html-images), in page order. */
  scanUrls: string[];
  /** Every CONTRACT key of the format; null = blank cell. */
  cells: Record<string, number | null>;
  /** Identities the planted figures break (they are kept as the source printed them). */
  anomalies: PlantedAnomaly[];
}

/** A running demo portal and the crawl source that points at its 年报 column(s). */
export interface DemoPortal {
  id: string;
  name: string;
  baseUrl: string;
  source: Source;
}

export interface DemoPortals {
  portals: DemoPortal[];
  planted: PlantedReport[];
  /**
   * Serves every column's items through `edit` from now on (none: as planted again): a report corrected or
   * withdrawn, a column emptied, while the portals run. `planted` and the manifests keep describing the planted set.
   */
  republish(edit?: ColumnEdit): void;
  close(): Promise<void>;
}

/**
 * The portal builds: a 0-based TRS site, a Hanweb site, and a 1-based TRS site with a department sub-column.
 * `scans`: the TRS sites also publish the reports published as scans.
 */
function buildPortals(edit?: ColumnEdit, scans = false): PortalBuild[] {
  return [
    buildTrsPortal({
      id: 'gansu',
      siteName: '甘肃省人民政府',
      regionCode: '620000',
      level: 'province',
      firstIndex: 0,
      edit,
      scans,
      columns: [{ column: 'main', path: '/zwgk/zfxxgknb/', name: '政府信息公开年报' }],
    }),
    buildHanwebPortal({
      id: 'huaian',
      siteName: '淮安市人民政府',
      regionCode: '320800',
      level: 'prefecture',
      columnId: 28956,
      unitId: 88231,
      edit,
    }),
    buildTrsPortal({
      id: 'county',
      siteName: '县域政务公开示范平台',
      firstIndex: 1,
      edit,
      scans,
      columns: [
        { column: 'main', path: '/xxgk/xxgknb/', name: '政府信息公开年报' },
        { column: 'department', path: '/xxgk/bmnb/', name: '部门政府信息公开年报' },
      ],
    }),
  ];
}

/**
 * Starts every demo portal on a free port of `host` (default 127.0.0.1). Each also serves /__manifest.json,
 * the planted reports it holds with absolute URLs. `scans`: some reports are published as scans too (an image-only
 * PDF, image attachments, an article with `<img>` tables: scan-publications.ts), read by OCR — seconds a page,
 * so tests that do not cover scans leave them out.
 */
export async function startDemoPortals(
  options: { host?: string; onRequest?: RequestObserver; scans?: boolean } = {},
): Promise<DemoPortals> {
  const host = options.host ?? '127.0.0.1';
  const scans = options.scans ?? false;
  const { reports } = loadPlantedData({ scans });
  const portals: DemoPortal[] = [];
  const planted: PlantedReport[] = [];
  const closers: (() => Promise<void>)[] = [];
  // Handlers by portal id, swapped by republish; the servers keep their ports.
  const served = new Map<string, Handler>();
  for (const build of buildPortals(undefined, scans)) {
    let manifest = '[]';
    served.set(build.id, build.handler);
    const handler: Handler = (request, url, body) =>
      url.pathname === '/__manifest.json'
        ? { status: 200, contentType: 'application/json; charset=utf-8', body: manifest }
        : served.get(build.id)!(request, url, body);
    const server = await listen(host, handler, options.onRequest);
    closers.push(server.close);
    const own = reports
      .filter((report) => report.portalId === build.id)
      .map((report): PlantedReport => {
        const location = build.locations.get(report.id)!;
        const { column: _column, published, ...rest } = report;
        return {
          ...rest,
          htmlUrl: published === 'pdf' || published === 'scan-pdf' ? null : server.origin + location.detailPath,
          pdfUrl: location.pdfPath ? server.origin + location.pdfPath : null,
          detailUrl: server.origin + location.detailPath,
          partUrls: (location.partPaths ?? []).map((partPath) => server.origin + partPath),
          scanned: isScanPublication(published) ? published : null,
          scanUrls: (location.scanPaths ?? []).map((scanPath) => server.origin + scanPath),
        };
      });
    manifest = JSON.stringify(own);
    planted.push(...own);
    portals.push({
      id: build.id,
      name: build.name,
      baseUrl: server.origin,
      source: {
        id: `demo-${build.id}`,
        name: build.name,
        ...(build.regionCode ? { regionCode: build.regionCode } : {}),
        ...(build.level ? { level: build.level } : {}),
        startUrls: build.startPaths.map((path) => server.origin + path),
        allowedHosts: [new URL(server.origin).host],
      },
    });
  }
  const republish = (edit?: ColumnEdit) => buildPortals(edit, scans).forEach((build) => served.set(build.id, build.handler));
  return { portals, planted, republish, close: async () => void (await Promise.all(closers.map((close) => close()))) };
}
