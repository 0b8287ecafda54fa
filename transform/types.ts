/** What the parse stage produces from an ExtractedDocument. */
import type { Level } from '../shared/types.ts';

export type { Level };

/** 2019 template (reports for 2019–2020), 2021 template (2021 on), or no national table layout. */
export type ReportFormat = '2019' | '2021' | 'pre2019';

export interface ReportMeta {
  /** Whether the document is a 政府信息公开工作年度报告 at all. */
  isReport: boolean;
  title: string | null;
  /** The year reported on, not the year published. */
  year: number | null;
  /** The body that wrote the report, e.g. 汤原县人民政府办公室. */
  issuer: string | null;
  regionName: string | null;
  /** 6-digit GB/T 2260 code. */
  regionCode: string | null;
  level: Level | null;
  format: ReportFormat | null;
}

/** What is known about a document from outside it (crawl and fetch), to help read its metadata. */
export interface ReportContext {
  /** URL the document was fetched from. */
  url?: string;
  /** Title shown on the list page or the detail page's metadata. */
  title?: string;
  /** Publication date (YYYY-MM-DD) shown next to the link; never taken as the report year. */
  publishedAt?: string | null;
  /** 6-digit GB/T 2260 code of the portal's region, used to decide between regions of the same name. */
  sourceRegionCode?: string;
  /** Name of the portal (source), e.g. 示例县人民政府. */
  sourceName?: string;
  /** The portal's government level from the national catalog: the level of a report the government itself issues. */
  sourceLevel?: Level;
}

/** Where a figure was read: page, then a table slot or a text line, and the raw text. */
export interface CellProvenance {
  page: number;
  /** Table index within the document, with row and column in its grid (from 0). */
  table?: number;
  row?: number;
  column?: number;
  /** Block index within the page, for figures read from text lines. */
  line?: number;
  /** The text exactly as it stood in the source slot. */
  raw: string;
}

/** One statutory figure under its CONTRACT.md key. A blank source cell is null, never 0. */
export interface ReportCell {
  key: string;
  value: number | null;
  /** Null where the cell was not found in the document at all. */
  provenance: CellProvenance | null;
}

export type AnomalyKind =
  | 'identity'
  | 'missing_cell'
  | 'extra_cell'
  | 'blank_cell'
  | 'layout'
  | 'format'
  | 'unit'
  | 'narrative_mismatch'
  /** A count (not an amount) with a fraction: a misprint or a misreading, kept as printed. */
  | 'fractional_count'
  /** A figure read from an image with low confidence, or an identity failing over OCRed figures. */
  | 'ocr_uncertain';

/** An inconsistency of the source document. Figures are never altered to make one go away. */
export interface Anomaly {
  kind: AnomalyKind;
  /** Stable id, e.g. `row_sum:granted`, `results_sum:total`, `balance:commercial`, `t4_sum:review`. */
  id: string;
  /** For identity anomalies: row_sum | results_sum | balance | t4_sum. */
  identity?: string;
  /** The sum of the parts. */
  expected?: number | null;
  /** The total the document prints. */
  found?: number | null;
  detail: string;
}

/** Output of parse, input of load. */
export interface ParsedReport {
  sha256: string;
  parserVersion: string;
  meta: ReportMeta;
  /** Every key of the report's format (none for pre2019 or non-reports). */
  cells: ReportCell[];
  anomalies: Anomaly[];
}
