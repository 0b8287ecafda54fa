/**
 * Turns a report's HTML into "scanned" page images, as a county office's scanner or a phone would make them:
 * Chromium prints the HTML to A4, PDFium rasterises each page, sharp and a few pixel loops add the defects of
 * real scans (skew, low dpi, JPEG noise, uneven light, a red 公章 over the table, faint dashed rulings, a photo's
 * perspective). Deterministic for a seed, so a scan and its truth can be made again. Used by
 * scripts/make-scans.ts, the simulator's scan publications and the OCR tests.
 */
import { launchOfflineChromium } from './offline-chromium.ts';
import sharp from 'sharp';
import { renderPdfPages, type GrayImage } from '../extract/pdfium-render.ts';
import { imagesToPdf, type PdfImagePage } from './image-pdf.ts';

/**
 * clean: 150 dpi as printed; degraded: the defects below at 120 dpi; two-up: degraded, two pages side by side on
 * each landscape sheet (an A3 scan of an open report); signed: degraded, with a pen signature across some cells.
 */
export type ScanVariant = 'clean' | 'degraded' | 'two-up' | 'signed';
export const SCAN_VARIANTS: readonly ScanVariant[] = ['clean', 'degraded', 'two-up', 'signed'];

/** How each variant is made: dpi, and whether the defects are applied. */
const VARIANT_DPI: Record<ScanVariant, number> = { clean: 150, degraded: 120, 'two-up': 120, signed: 120 };

/** A rendered scan page: RGB pixels, 3 bytes a pixel. */
export interface RgbPage {
  width: number;
  height: number;
  dpi: number;
  pixels: Buffer;
}

/** Faint, broken rulings: what a worn-out copier does to table borders. */
const FAINT_RULINGS_CSS = 'td { border: 1px dashed #8a8a8a !important; }';

/** Prints HTML documents to A4 PDFs with Chromium, offline (no network: a dead proxy for everything). */
export async function printHtmlToPdfs(htmls: string[], options: { faintRulings?: boolean } = {}): Promise<Uint8Array[]> {
  const browser = await launchOfflineChromium();
  try {
    const pdfs: Uint8Array[] = [];
    for (const html of htmls) {
      const page = await browser.newPage();
      await page.setContent(html);
      if (options.faintRulings) await page.addStyleTag({ content: FAINT_RULINGS_CSS });
      pdfs.push(new Uint8Array(await page.pdf({ format: 'A4', margin: { top: '50px', bottom: '50px', left: '50px', right: '50px' } })));
      await page.close();
    }
    return pdfs;
  } finally {
    await browser.close();
  }
}

/** Rasterises every page of a PDF at `dpi` (grayscale, as a scanner in its default mode). */
export async function rasterisePdf(pdf: Uint8Array, dpi: number, maxPages = 50): Promise<GrayImage[]> {
  const pages: GrayImage[] = [];
  const numbers = Array.from({ length: maxPages }, (_, index) => index + 1);
  await renderPdfPages(pdf, numbers, dpi, async (_number, image) => {
    pages.push(image);
  });
  return pages;
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same defects. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function grayToRgb(image: GrayImage): Buffer {
  const rgb = Buffer.alloc(image.width * image.height * 3);
  for (let i = 0; i < image.pixels.length; i++) rgb[i * 3] = rgb[i * 3 + 1] = rgb[i * 3 + 2] = image.pixels[i]!;
  return rgb;
}

/** An official seal: red ring, star and the issuer's name, drawn semi-transparent like stamp ink. */
function sealSvg(sizePx: number, name: string): Buffer {
  const r = sizePx / 2;
  const chars = [...name].slice(0, 12);
  const letters = chars
    .map((char, index) => {
      const angle = -150 + (120 / Math.max(chars.length - 1, 1)) * index;
      const rad = ((angle - 90) * Math.PI) / 180;
      const x = r + Math.cos(rad + Math.PI / 2) * r * 0.7;
      const y = r + Math.sin(rad + Math.PI / 2) * r * 0.7;
      return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${(r * 0.2).toFixed(1)}" fill="#d81e1e" text-anchor="middle" dominant-baseline="middle" transform="rotate(${angle + 180} ${x.toFixed(1)} ${y.toFixed(1)})" font-family="Noto Sans CJK SC">${char}</text>`;
    })
    .join('');
  const star = Array.from({ length: 10 }, (_, index) => {
    const radius = index % 2 === 0 ? r * 0.25 : r * 0.1;
    const angle = (Math.PI / 5) * index - Math.PI / 2;
    return `${(r + Math.cos(angle) * radius).toFixed(1)},${(r + Math.sin(angle) * radius).toFixed(1)}`;
  }).join(' ');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${sizePx}" height="${sizePx}" opacity="0.8">` +
      `<circle cx="${r}" cy="${r}" r="${r * 0.92}" fill="none" stroke="#d81e1e" stroke-width="${(r * 0.07).toFixed(1)}"/>` +
      `<polygon points="${star}" fill="#d81e1e"/>${letters}</svg>`,
  );
}

/**
 * A handwritten signature: a few joined pen strokes in blue-black ink (not red: the seal filter keeps it), as an
 * official signs across a table. Its shape comes from `random`.
 */
function signatureSvg(widthPx: number, heightPx: number, strokePx: number, random: () => number): Buffer {
  const point = (x: number) => `${(x * widthPx).toFixed(1)},${((0.2 + random() * 0.6) * heightPx).toFixed(1)}`;
  const strokes = Array.from({ length: 3 }, (_, stroke) => {
    const from = stroke / 3;
    const curves = Array.from({ length: 4 }, (_, index) => {
      const x = from + ((index + 1) / 4) * 0.38;
      return `C ${point(x - 0.06)} ${point(x - 0.02)} ${point(x)}`;
    });
    return `<path d="M ${point(from)} ${curves.join(' ')}" fill="none" stroke="#1b2a6b" stroke-width="${strokePx.toFixed(1)}" stroke-linecap="round"/>`;
  });
  // An underline flourish crossing the whole signature, as most signatures end.
  const flourish = `<path d="M ${point(0.05)} Q ${point(0.5)} ${point(0.98)}" fill="none" stroke="#1b2a6b" stroke-width="${strokePx.toFixed(1)}"/>`;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}">${strokes.join('')}${flourish}</svg>`,
  );
}

/** A signature somewhere over the page's tables (its middle), drawn from its own seed so the other defects stay put. */
function signatureOverlay(image: GrayImage, dpi: number, seed: number): sharp.OverlayOptions {
  const random = seededRandom(seed ^ 0x5a17);
  const width = Math.round(dpi * (1.8 + random() * 0.8));
  const height = Math.round(dpi * 0.8);
  return {
    input: signatureSvg(width, height, Math.max(2, dpi / 50), random),
    left: Math.round(image.width * (0.3 + random() * 0.3)),
    top: Math.round(image.height * (0.3 + random() * 0.4)),
    blend: 'multiply',
  };
}

/** Maps each output pixel back through a keystone (a photo taken slightly from below), bilinear. */
function keystone(rgb: Buffer, width: number, height: number, amount: number): Buffer {
  const out = Buffer.alloc(rgb.length, 255);
  for (let y = 0; y < height; y++) {
    const t = y / height;
    // The top edge is `amount` narrower than the bottom: the source x spreads from the centre.
    const shrink = 1 - amount * (1 - t);
    for (let x = 0; x < width; x++) {
      const sx = width / 2 + (x - width / 2) / shrink;
      if (sx < 0 || sx >= width - 1) continue;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const base = (y * width + x0) * 3;
      const target = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[target + c] = Math.round(rgb[base + c]! * (1 - fx) + rgb[base + 3 + c]! * fx);
    }
  }
  return out;
}

/** Light falling off from one corner, and sensor noise, multiplied into the pixels. */
function unevenLightAndNoise(rgb: Buffer, width: number, height: number, random: () => number): Buffer {
  const out = Buffer.alloc(rgb.length);
  const cornerX = random() < 0.5 ? 0 : width;
  const cornerY = random() < 0.5 ? 0 : height;
  const diagonal = Math.hypot(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = 1 - 0.28 * (Math.hypot(x - cornerX, y - cornerY) / diagonal);
      const noise = (random() + random() + random() - 1.5) * 22;
      const index = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[index + c] = Math.max(0, Math.min(255, Math.round(rgb[index + c]! * light + noise)));
    }
  }
  return out;
}

/** A clean page: the rasterised page as it is. */
export function cleanPage(image: GrayImage, dpi: number): RgbPage {
  return { width: image.width, height: image.height, dpi, pixels: grayToRgb(image) };
}

/**
 * A degraded page: a seal over the page's middle right (where the tables stand), keystone, skew within ±3°,
 * uneven light and noise; with `signature`, a pen signature across some cells too; `twoUp`: the image is a sheet of
 * two pages. `seed` fixes every choice.
 */
export async function degradePage(
  image: GrayImage,
  dpi: number,
  seed: number,
  sealName: string,
  options: { signature?: boolean; twoUp?: boolean } = {},
): Promise<RgbPage> {
  const random = seededRandom(seed);
  const sealSize = Math.round(dpi * 1.6);
  // On a two-up sheet the seal stands where it would on the right-hand page, not across the fold.
  const sealShare = 0.45 + random() * 0.25;
  const sealLeft = Math.round(image.width * (options.twoUp ? 0.5 + sealShare / 2 : sealShare));
  const sealTop = Math.round(image.height * (0.25 + random() * 0.4));
  const stamped = await sharp(grayToRgb(image), { raw: { width: image.width, height: image.height, channels: 3 } })
    .composite([
      {
        input: sealSvg(sealSize, sealName),
        left: Math.min(sealLeft, image.width - sealSize),
        top: Math.min(sealTop, image.height - sealSize),
        blend: 'multiply',
      },
      ...(options.signature ? [signatureOverlay(image, dpi, seed)] : []),
    ])
    .removeAlpha()
    .raw()
    .toBuffer();
  const warped = keystone(stamped, image.width, image.height, 0.01 + random() * 0.015);
  const angle = (random() * 2 - 1) * 3;
  const rotated = await sharp(warped, { raw: { width: image.width, height: image.height, channels: 3 } })
    .rotate(angle, { background: { r: 255, g: 255, b: 255 } })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = rotated.info;
  return { width, height, dpi, pixels: unevenLightAndNoise(rotated.data, width, height, random) };
}

/** Renders a standalone report HTML to scan pages of the variant. */
export async function scanPagesOf(html: string, variant: ScanVariant, seed: number, sealName: string): Promise<RgbPage[]> {
  const [pdf] = await printHtmlToPdfs([html], { faintRulings: variant !== 'clean' });
  return scanPagesOfPdf(pdf!, variant, seed, sealName);
}

/** Scan pages of an existing PDF (a real report's PDF): its pages rasterised, then degraded if asked. */
export async function scanPagesOfPdf(pdf: Uint8Array, variant: ScanVariant, seed: number, sealName: string): Promise<RgbPage[]> {
  const dpi = VARIANT_DPI[variant];
  const images = await rasterisePdf(pdf, dpi);
  if (variant === 'clean') return images.map((image) => cleanPage(image, dpi));
  const sheets = variant === 'two-up' ? twoUpSheets(images) : images;
  // Sheets are degraded one at a time: a few large RGB buffers at once is what the machine can spare.
  const pages: RgbPage[] = [];
  for (const [index, sheet] of sheets.entries())
    pages.push(
      await degradePage(sheet, dpi, seed * 97 + index, sealName, {
        signature: variant === 'signed' && index === 0,
        twoUp: variant === 'two-up',
      }),
    );
  return pages;
}

/** Fold shadow of an opened report on the scanner glass: darkest at the fold, this wide and this deep. */
const FOLD_SHADOW_FRACTION = 0.012;
const FOLD_SHADOW_DEPTH = 0.35;

/**
 * Pages laid two by two on landscape sheets (the last one alone if odd), as an A3 scan of an opened report: the
 * pages abut, a soft shadow marks the fold between them.
 */
export function twoUpSheets(pages: GrayImage[]): GrayImage[] {
  const sheets: GrayImage[] = [];
  for (let index = 0; index < pages.length; index += 2) {
    const left = pages[index]!;
    const right = pages[index + 1];
    const pageWidth = left.width;
    const width = pageWidth * 2;
    const height = Math.max(left.height, right?.height ?? 0);
    const pixels = new Uint8Array(width * height).fill(255);
    for (const [side, page] of [left, right].entries()) {
      if (!page) continue;
      for (let y = 0; y < page.height; y++)
        pixels.set(page.pixels.subarray(y * page.width, (y + 1) * page.width), y * width + side * pageWidth);
    }
    const spread = width * FOLD_SHADOW_FRACTION;
    for (let x = Math.floor(pageWidth - 3 * spread); x < pageWidth + 3 * spread; x++) {
      const shade = 1 - FOLD_SHADOW_DEPTH * Math.exp(-(((x - pageWidth) / spread) ** 2));
      for (let y = 0; y < height; y++) pixels[y * width + x] = Math.round(pixels[y * width + x]! * shade);
    }
    sheets.push({ width, height, pixels, scale: left.scale });
  }
  return sheets;
}

/** JPEG quality: a scanner's "standard" setting for the clean variant, a phone's strong compression otherwise. */
const JPEG_QUALITY: Record<ScanVariant, number> = { clean: 92, degraded: 60, 'two-up': 60, signed: 60 };

/** The pages as one image-only PDF, each page a JPEG at its dpi. */
export async function scanPdf(pages: RgbPage[], variant: ScanVariant): Promise<Uint8Array> {
  const images: PdfImagePage[] = [];
  for (const page of pages) {
    const jpeg = await sharp(page.pixels, { raw: { width: page.width, height: page.height, channels: 3 } })
      .jpeg({ quality: JPEG_QUALITY[variant] })
      .toBuffer();
    images.push({ jpeg, width: page.width, height: page.height, dpi: page.dpi });
  }
  return imagesToPdf(images);
}

/** The pages stacked into one tall image (a "long screenshot", as articles post them), as png, jpg or tif. */
export async function scanImage(pages: RgbPage[], kind: 'png' | 'jpg' | 'tif', variant: ScanVariant): Promise<Buffer> {
  if (variant === 'two-up') return twoUpImage(pages, kind);
  const width = Math.max(...pages.map((page) => page.width));
  const height = pages.reduce((sum, page) => sum + page.height, 0);
  let top = 0;
  const parts = pages.map((page) => {
    const part = { input: page.pixels, raw: { width: page.width, height: page.height, channels: 3 as const }, left: 0, top };
    top += page.height;
    return part;
  });
  const canvas = sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(parts)
    .withMetadata({ density: pages[0]!.dpi });
  if (kind === 'png') return canvas.png().toBuffer();
  if (kind === 'jpg') return canvas.jpeg({ quality: JPEG_QUALITY[variant] }).toBuffer();
  return canvas.tiff({ compression: variant === 'clean' ? 'lzw' : 'jpeg', quality: JPEG_QUALITY[variant] }).toBuffer();
}

/** Two-up sheets as an image: a multi-page TIFF, one sheet a page (stacked sheets would no longer be landscape). */
async function twoUpImage(sheets: RgbPage[], kind: 'png' | 'jpg' | 'tif'): Promise<Buffer> {
  if (kind !== 'tif' && sheets.length > 1) throw new Error(`two-up sheets are written as pdf or tif (one sheet a page), not ${kind}`);
  // A multi-page TIFF has one page size: each sheet (rotated by its own skew) is padded with paper to the largest.
  const width = Math.max(...sheets.map((sheet) => sheet.width));
  const height = Math.max(...sheets.map((sheet) => sheet.height));
  const encoded = await Promise.all(
    sheets.map((sheet) =>
      sharp(sheet.pixels, { raw: { width: sheet.width, height: sheet.height, channels: 3 } })
        .extend({ right: width - sheet.width, bottom: height - sheet.height, background: { r: 255, g: 255, b: 255 } })
        .png()
        .toBuffer(),
    ),
  );
  const image = sharp(encoded.length > 1 ? encoded : encoded[0]!, encoded.length > 1 ? { join: { animated: true } } : {}).withMetadata({
    density: sheets[0]!.dpi,
  });
  if (kind === 'png') return image.png().toBuffer();
  if (kind === 'jpg') return image.jpeg({ quality: JPEG_QUALITY['two-up'] }).toBuffer();
  return image.tiff({ compression: 'jpeg', quality: JPEG_QUALITY['two-up'] }).toBuffer();
}
