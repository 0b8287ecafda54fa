/**
 * `npm run make-scans -- --out DIR [--from simulator,corpus] [--variants clean,degraded,two-up,signed] [--kinds pdf,png,jpg,tif]
 * [--only NAME,…]`: renders reports as scans with their truth, for `npm run eval -- --docs DIR/<variant>`.
 * Writes DIR/<variant>/<name>.<kind> and DIR/<variant>/truth/<name>.json. Sources: the simulator's planted
 * reports (truth = the planted figures) and the evaluation corpus beside the repository (its real PDFs and
 * HTML, truth = its truth files). The output holds corpus material: keep it out of the repository (data/ or /tmp).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadPlantedData, type PlantedReportData } from '../simulator/planted-data.ts';
import { renderStandaloneReport } from '../simulator/report-html.ts';
import {
  printHtmlToPdfs,
  scanImage,
  scanPagesOf,
  scanPagesOfPdf,
  scanPdf,
  type RgbPage,
  SCAN_VARIANTS,
  type ScanVariant,
} from '../simulator/scan-render.ts';
import type { Truth } from './eval-score.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
type Kind = 'pdf' | 'png' | 'jpg' | 'tif';

/** The truth of a planted report, in the corpus's truth shape. */
export function plantedTruth(report: PlantedReportData): Truth {
  return {
    name: report.id,
    meta: { issuer: report.issuer, year: report.year, format: report.format, level: report.level, region_code: report.regionCode },
    cells: report.cells,
    anomalies: report.anomalies.map((anomaly) => ({ kind: 'identity', id: anomaly.id, expected: anomaly.expected, found: anomaly.found })),
  };
}

/** A seal name from an issuer: what a 公章 around it reads. */
const sealNameOf = (issuer: string | undefined) => (issuer ?? '人民政府办公室').slice(0, 12);

/** A stable seed from a name, so each document keeps its defects between runs. */
function seedOf(name: string): number {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash;
}

interface ScanSource {
  name: string;
  truth: Truth;
  pages(variant: ScanVariant): Promise<RgbPage[]>;
}

function simulatorSources(): ScanSource[] {
  return loadPlantedData().reports.map((report) => ({
    name: report.id,
    truth: plantedTruth(report),
    pages: (variant) => scanPagesOf(renderStandaloneReport(report), variant, seedOf(report.id), sealNameOf(report.issuer)),
  }));
}

/** A published HTML fragment in a printable page with ruled tables, as a portal's print view shows it. */
function printableHtml(fragment: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td, th { border: 1px solid #000; padding: 2pt; font-size: 8pt; text-align: center; }
</style></head><body>${fragment}</body></html>`;
}

/** The corpus's PDFs and HTML documents that have truth files (its seeds are text only: nothing to scan). */
function corpusSources(corpus: string): ScanSource[] {
  const realDir = path.join(corpus, 'real');
  if (!existsSync(realDir)) return [];
  return readdirSync(realDir)
    .filter((file) => /\.(pdf|html)$/i.test(file) && existsSync(path.join(corpus, 'truth', `${path.parse(file).name}.json`)))
    .sort()
    .map((file) => {
      const name = path.parse(file).name;
      const truth = JSON.parse(readFileSync(path.join(corpus, 'truth', `${name}.json`), 'utf8')) as Truth;
      const full = path.join(realDir, file);
      const seal = sealNameOf(typeof truth.meta.issuer === 'string' ? truth.meta.issuer : undefined);
      return {
        // The simulator plants reports of the same issuers and years: a prefix keeps both sets in one folder.
        name: `corpus-${name}`,
        truth: { ...truth, name: `corpus-${name}` },
        pages: async (variant: ScanVariant) => {
          if (file.toLowerCase().endsWith('.pdf')) return scanPagesOfPdf(new Uint8Array(readFileSync(full)), variant, seedOf(name), seal);
          const [pdf] = await printHtmlToPdfs([printableHtml(readFileSync(full, 'utf8'))], { faintRulings: variant !== 'clean' });
          return scanPagesOfPdf(pdf!, variant, seedOf(name), seal);
        },
      };
    });
}

async function writeScan(outDir: string, source: ScanSource, variant: ScanVariant, kinds: Kind[]): Promise<void> {
  const dir = path.join(outDir, variant);
  mkdirSync(path.join(dir, 'truth'), { recursive: true });
  const pages = await source.pages(variant);
  writeFileSync(path.join(dir, 'truth', `${source.name}.json`), `${JSON.stringify(source.truth, null, 2)}\n`);
  // Several two-up sheets fit one file only as PDF or multi-page TIFF pages (stacked, they would not be landscape).
  const fits = (kind: Kind) => variant !== 'two-up' || pages.length === 1 || kind === 'pdf' || kind === 'tif';
  for (const kind of kinds.filter(fits)) {
    const bytes = kind === 'pdf' ? await scanPdf(pages, variant) : await scanImage(pages, kind, variant);
    // eval scores each file against truth/<name>.json, so every kind of one report keeps its name.
    const kindDir = kinds.length > 1 ? path.join(dir, kind) : dir;
    mkdirSync(kindDir, { recursive: true });
    writeFileSync(path.join(kindDir, `${source.name}.${kind}`), bytes);
  }
  console.log(
    `${variant}/${source.name}: ${pages.length} ${variant === 'two-up' ? 'sheet' : 'page'}(s) → ${kinds.filter(fits).join(', ')}`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      from: { type: 'string', default: 'simulator,corpus' },
      variants: { type: 'string', default: SCAN_VARIANTS.join(',') },
      kinds: { type: 'string', default: 'pdf' },
      only: { type: 'string' },
      corpus: { type: 'string' },
    },
  });
  if (!values.out) throw new Error('usage: npm run make-scans -- --out DIR (outside the repository, or under data/)');
  const from = values.from.split(',');
  const corpus = path.resolve(values.corpus ?? path.resolve(repoRoot, process.env.YANGGUANG_CORPUS ?? '../shared/corpus'));
  const only = values.only?.split(',');
  const sources = [
    ...(from.includes('simulator') ? simulatorSources() : []),
    ...(from.includes('corpus') ? corpusSources(corpus) : []),
  ].filter((source) => !only || only.includes(source.name));
  const variants = values.variants.split(',') as ScanVariant[];
  const unknown = variants.filter((variant) => !SCAN_VARIANTS.includes(variant));
  if (unknown.length) throw new Error(`unknown variant(s) ${unknown.join(', ')}: use ${SCAN_VARIANTS.join(', ')}`);
  for (const variant of variants) {
    for (const source of sources) await writeScan(path.resolve(values.out), source, variant, values.kinds.split(',') as Kind[]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
