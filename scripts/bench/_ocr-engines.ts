/**
 * The engine comparison behind extract/ocr-tesseract.ts (README, "Scanned reports"): the same cleaned scan pages
 * (seal out, light even, straight, rulings wiped) read by Debian's tesseract 5, tesseract.js 7 and PaddleOCR
 * (@gutenye/ocr-node, PP-OCRv4), one page at a time on one thread each. Accuracy: the share of the report's
 * planted figures of two or more digits found among the engine's tokens (multiset), and the share of template
 * row labels found in its text; speed: seconds a page, warm. Not a benchmark of `npm run bench` (underscore).
 * Usage: node --import tsx scripts/bench/_ocr-engines.ts SCANS_DIR [NAME …]   (SCANS_DIR from npm run make-scans)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createWorker } from 'tesseract.js';
import { renderPdfPages } from '../../extract/pdfium-render.ts';
import { recogniseWords } from '../../extract/ocr-tesseract.ts';
import { cleanScan } from '../../extract/scan-clean.ts';
import { findTableGrids, wipeRulings } from '../../extract/scan-grid.ts';
import type { Truth } from '../eval-score.ts';

const LABELS = [
  '本年新收政府信息公开申请数量',
  '上年结转政府信息公开申请数量',
  '予以公开',
  '部分公开',
  '属于国家秘密',
  '保护第三方合法权益',
  '本机关不掌握相关政府信息',
  '信访举报投诉类申请',
  '重复申请',
  '其他处理',
  '结转下年度继续办理',
  '行政许可',
  '行政处罚',
  '行政强制',
  '行政事业性收费',
  '行政复议',
  '行政诉讼',
];

interface Engine {
  name: string;
  read(png: Buffer): Promise<string>;
  close(): Promise<void>;
}

async function tesseractNative(): Promise<Engine> {
  return {
    name: 'tesseract 5 (Debian, chi_sim)',
    read: async (png) => (await recogniseWords(png, { language: 'chi_sim', psm: 6 })).map((word) => word.text).join(' '),
    close: async () => undefined,
  };
}

async function tesseractJs(): Promise<Engine> {
  const langPath = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/chi_sim/package.json')),
    '4.0.0_best_int',
  );
  const worker = await createWorker('chi_sim', 1, { langPath, gzip: true, cacheMethod: 'none' });
  await worker.setParameters({ tessedit_pageseg_mode: '6' as never });
  return {
    name: 'tesseract.js 7 (chi_sim best_int)',
    read: async (png) => (await worker.recognize(png)).data.text,
    close: async () => void (await worker.terminate()),
  };
}

async function paddle(): Promise<Engine> {
  const { default: Ocr } = (await import('@gutenye/ocr-node')) as {
    default: { create(): Promise<{ detect(image: string): Promise<{ text: string }[]> }> };
  };
  const ocr = await Ocr.create();
  const file = `/tmp/yg-ocr-engine-${process.pid}.png`;
  return {
    name: 'PaddleOCR PP-OCRv4 (@gutenye/ocr-node)',
    read: async (png) => {
      (await import('node:fs')).writeFileSync(file, png);
      return (await ocr.detect(file)).map((line) => line.text).join(' ');
    },
    close: async () => undefined,
  };
}

/** The cleaned pages of a scan PDF, as PNGs the engines all read. */
async function cleanedPages(pdf: Uint8Array): Promise<Buffer[]> {
  const pages: Buffer[] = [];
  const images: { pixels: Uint8Array; width: number; height: number }[] = [];
  await renderPdfPages(pdf, [1, 2, 3, 4, 5, 6], 150, async (_n, image) => void images.push(image), 'rgb');
  for (const rendered of images) {
    const { image } = await cleanScan(rendered.pixels, rendered.width, rendered.height, 150);
    const pixels = wipeRulings(image, findTableGrids(image));
    pages.push(
      await sharp(pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
        .resize(image.width * 2)
        .png()
        .toBuffer(),
    );
  }
  return pages;
}

function score(text: string, truth: Truth): { figures: number; labels: number } {
  const compact = text.replace(/\s+/g, '');
  const tokens = text.match(/\d+(?:\.\d+)?/g) ?? [];
  const pool = new Map<string, number>();
  for (const token of tokens) pool.set(token, (pool.get(token) ?? 0) + 1);
  const planted = Object.values(truth.cells)
    .filter((value): value is number => value !== null && Math.abs(value) >= 10)
    .map((value) => String(Math.abs(value)));
  let found = 0;
  for (const figure of planted) {
    const left = pool.get(figure) ?? 0;
    if (left > 0) [found] = [found + 1, pool.set(figure, left - 1)];
  }
  return {
    figures: planted.length ? found / planted.length : 1,
    labels: LABELS.filter((label) => compact.includes(label)).length / LABELS.length,
  };
}

const [dir, ...names] = process.argv.slice(2);
if (!dir) throw new Error('usage: node --import tsx scripts/bench/_ocr-engines.ts SCANS_DIR [NAME …]');
for (const variant of ['clean', 'degraded']) {
  const docs = await Promise.all(
    (names.length ? names : ['huaian-2024', 'shanghai-office-2019']).map(async (name) => ({
      truth: JSON.parse(readFileSync(path.join(dir, variant, 'truth', `${name}.json`), 'utf8')) as Truth,
      pages: await cleanedPages(new Uint8Array(readFileSync(path.join(dir, variant, `${name}.pdf`)))),
    })),
  );
  for (const make of [tesseractNative, tesseractJs, paddle]) {
    const engine = await make();
    await engine.read(docs[0]!.pages[0]!); // warm: models loaded, code compiled
    let seconds = 0;
    let pages = 0;
    let figures = 0;
    let labels = 0;
    for (const doc of docs) {
      let text = '';
      for (const page of doc.pages) {
        const start = process.hrtime.bigint();
        text += `${await engine.read(page)}\n`;
        seconds += Number(process.hrtime.bigint() - start) / 1e9;
        pages++;
      }
      const result = score(text, doc.truth);
      figures += result.figures / docs.length;
      labels += result.labels / docs.length;
    }
    await engine.close();
    console.log(
      `${variant}\t${engine.name}\ts_per_page=${(seconds / pages).toFixed(2)}\tfigures_found=${(figures * 100).toFixed(1)}%\tlabels_found=${(labels * 100).toFixed(1)}%`,
    );
  }
}
