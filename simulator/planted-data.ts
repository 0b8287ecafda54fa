/** The planted reports and decoys of the demo portals, read from data/reports.json. */
import { readFileSync } from 'node:fs';
import type { Level } from '../shared/types.ts';

export type PlantedFormat = '2019' | '2021';

/**
 * How a report is published: tables in the detail page, a PDF attachment, or both; `html-parts`: in the detail
 * page split over two pages (t…_1.html), the cut falling inside a table as a CMS's page break does; or as scans
 * (scan-publications.ts).
 */
export type Publication = 'html' | 'pdf' | 'both' | 'html-parts' | ScanPublication;

/**
 * How a report published as scans is published (scan-publications.ts): an image-only PDF attachment, scanned
 * pages linked as image files, or an article whose tables are `<img>` scans.
 */
export type ScanPublication = 'scan-pdf' | 'scan-images' | 'html-images';

/** Whether a report is published as a PDF attachment. */
export function publishesPdf(report: PlantedReportData): boolean {
  return report.published === 'pdf' || report.published === 'both';
}

/** A statutory report with figures, as stored in data/reports.json. */
export interface PlantedReportData {
  id: string;
  portalId: string;
  /** `main` = the portal's 年报 column; `department` = its department sub-column. */
  column: 'main' | 'department';
  issuer: string;
  regionName: string;
  regionCode: string;
  level: Level;
  year: number;
  format: PlantedFormat;
  title: string;
  /** YYYY-MM-DD, Jan–Mar of year + 1. */
  publishedAt: string;
  published: Publication;
  /** Every CONTRACT key of the format; null = blank cell. */
  cells: Record<string, number | null>;
  /** Identities (CONTRACT.md) the figures break, as the source report printed them. */
  anomalies: PlantedAnomaly[];
}

/** A failed identity: the sum of the parts (expected) and the total the report prints (found). */
export interface PlantedAnomaly {
  /** e.g. `t4_sum:review`, `row_sum:results_total`. */
  id: string;
  identity: 'row_sum' | 'results_sum' | 'balance' | 't4_sum';
  expected: number;
  found: number;
}

/** An item in a 年报 column that is not a statutory report with figures. */
export interface DecoyData {
  id: string;
  portalId: string;
  column: 'main' | 'department';
  /** `guide` = 政府信息公开指南; `pre2019` = a prose report without the national tables. */
  kind: 'guide' | 'pre2019';
  issuer: string;
  year?: number;
  title: string;
  publishedAt: string;
}

/** Either kind of item a column lists. */
export type ColumnItem = ({ type: 'report' } & PlantedReportData) | ({ type: 'decoy' } & DecoyData);

const dataFile = new URL('./data/reports.json', import.meta.url);
const scannedDataFile = new URL('./data/scanned-reports.json', import.meta.url);

/** Which planted reports to publish: `scans` adds the reports published as scans (OCR costs seconds a page). */
export interface PlantedSelection {
  scans?: boolean;
}

/** The reports published as scans, from data/scanned-reports.json. */
export function loadScannedReports(): PlantedReportData[] {
  return (JSON.parse(readFileSync(scannedDataFile, 'utf8')) as { reports: PlantedReportData[] }).reports;
}

/** Reads data/reports.json (and, with `scans`, data/scanned-reports.json). */
export function loadPlantedData(selection: PlantedSelection = {}): { reports: PlantedReportData[]; decoys: DecoyData[] } {
  const data = JSON.parse(readFileSync(dataFile, 'utf8')) as { reports: PlantedReportData[]; decoys: DecoyData[] };
  return selection.scans ? { ...data, reports: [...data.reports, ...loadScannedReports()] } : data;
}

/** The items of one portal column, newest first, as a list page shows them. */
export function columnItems(portalId: string, column: 'main' | 'department', selection: PlantedSelection = {}): ColumnItem[] {
  const { reports, decoys } = loadPlantedData(selection);
  const items: ColumnItem[] = [
    ...reports.map((report) => ({ type: 'report' as const, ...report })),
    ...decoys.map((decoy) => ({ type: 'decoy' as const, ...decoy })),
  ];
  return items
    .filter((item) => item.portalId === portalId && item.column === column)
    .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

/**
 * A change to a column's items while a portal runs (a report corrected, withdrawn, or the column emptied), for
 * tests of re-crawls: it gets the items as columnItems gives them and returns the ones to publish.
 */
export type ColumnEdit = (items: ColumnItem[], column: { portalId: string; column: 'main' | 'department' }) => ColumnItem[];

/** The items of one portal column after `edit` (none: as planted). */
export function editedColumnItems(
  portalId: string,
  column: 'main' | 'department',
  edit?: ColumnEdit,
  selection: PlantedSelection = {},
): ColumnItem[] {
  const items = columnItems(portalId, column, selection);
  return edit ? edit(items, { portalId, column }) : items;
}

/** Committed PDF of a report: simulator/pdfs/<id>.pdf. */
export function pdfFileOf(id: string): URL {
  return new URL(`./pdfs/${id}.pdf`, import.meta.url);
}
