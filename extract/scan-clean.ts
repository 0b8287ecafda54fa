/**
 * Cleaning a scanned page before its table is read: the red seal taken out by its colour (read in the red channel), the light made even
 * (each pixel divided by the paper's brightness around it), and the page turned straight (the angle whose row
 * profile of ink is sharpest: rulings and text lines then fall on single rows).
 */
import sharp from 'sharp';

/** A grayscale image, one byte a pixel, with its resolution. */
export interface ScanImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  dpi: number;
}

/** The skew searched, in degrees either way: scanners and phones stay well within it. */
const MAX_SKEW_DEGREES = 4;

/**
 * How much a pixel's redness (red over green) lightens it: JPEG's coarse colour leaves a seal's strokes darker
 * than the paper in the red channel too, by about three quarters of their redness (measured on degraded scans).
 */
const REDNESS_LIFT = 0.75;

/**
 * RGB (3 bytes a pixel) to gray by its red channel, lifted by its redness: red seal ink is light in the red
 * channel, and what JPEG's coarse colour left of it (a greyish red) is lifted by how much redder than green it
 * still is, so the seal drops out with no halo, while black and gray ink, whose channels are alike, keep their
 * darkness — also where they run under the seal.
 */
export function grayWithoutSeal(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const red = rgb[i * 3]!;
    gray[i] = Math.min(255, red + REDNESS_LIFT * Math.max(0, red - rgb[i * 3 + 1]!));
  }
  return gray;
}

/**
 * Divides out uneven light: the paper's brightness is the brightest pixel of each block (text never fills a
 * block), smoothed between blocks; each pixel becomes its share of that brightness.
 */
export function evenLight(image: ScanImage): ScanImage {
  const { width, height, pixels } = image;
  const block = Math.max(16, Math.round(image.dpi / 4));
  const columns = Math.ceil(width / block);
  const rows = Math.ceil(height / block);
  const paper = new Float32Array(columns * rows);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(y / block) * columns + Math.floor(x / block);
      paper[cell] = Math.max(paper[cell]!, pixels[y * width + x]!);
    }
  }
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max(y / block - 0.5, 0), rows - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, rows - 1);
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max(x / block - 0.5, 0), columns - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, columns - 1);
      const top = paper[y0 * columns + x0]! * (1 - (fx - x0)) + paper[y0 * columns + x1]! * (fx - x0);
      const bottom = paper[y1 * columns + x0]! * (1 - (fx - x0)) + paper[y1 * columns + x1]! * (fx - x0);
      const light = Math.max(top * (1 - (fy - y0)) + bottom * (fy - y0), 64);
      out[y * width + x] = Math.min(255, Math.round((pixels[y * width + x]! * 255) / light));
    }
  }
  return { ...image, pixels: out };
}

/** Sum of squared ink counts per row when the ink is sheared by `radians`: sharpest when the page is straight. */
function rowProfileSharpness(ink: Int32Array, count: number, radians: number, height: number): number {
  const rows = new Float64Array(height + 1);
  const slope = Math.tan(radians);
  for (let i = 0; i < count; i++) {
    const y = Math.round(ink[i * 2 + 1]! - ink[i * 2]! * slope);
    if (y >= 0 && y <= height) rows[y]! += 1;
  }
  let sum = 0;
  for (const value of rows) sum += value * value;
  return sum;
}

/** The page's skew in degrees (positive: turned clockwise), by a coarse then a fine search on a reduced page. */
export function estimateSkew(image: ScanImage): number {
  const step = Math.max(1, Math.round(image.dpi / 75));
  const ink = new Int32Array(Math.ceil(image.width / step) * Math.ceil(image.height / step) * 2);
  let count = 0;
  for (let y = 0; y < image.height; y += step) {
    for (let x = 0; x < image.width; x += step) {
      if (image.pixels[y * image.width + x]! < 128) {
        ink[count * 2] = x / step;
        ink[count * 2 + 1] = y / step;
        count++;
      }
    }
  }
  const height = Math.ceil(image.height / step) + Math.ceil(image.width / step);
  const best = (from: number, to: number, by: number) => {
    let angle = 0;
    let score = -1;
    for (let degrees = from; degrees <= to + 1e-9; degrees += by) {
      const value = rowProfileSharpness(ink, count, (degrees * Math.PI) / 180, height);
      if (value > score) [angle, score] = [degrees, value];
    }
    return angle;
  };
  const coarse = best(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES, 0.25);
  return best(coarse - 0.25, coarse + 0.25, 0.05);
}

/** Turns the page straight; the corners brought in are paper white. */
export async function deskew(image: ScanImage, degrees: number): Promise<ScanImage> {
  if (Math.abs(degrees) < 0.05) return image;
  const { data, info } = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 1 } })
    .rotate(-degrees, { background: { r: 255, g: 255, b: 255 } })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), dpi: image.dpi };
}

/** Seal out, light even, page straight: the image the table reader works on. */
export async function cleanScan(
  rgb: Uint8Array,
  width: number,
  height: number,
  dpi: number,
): Promise<{ image: ScanImage; skewDegrees: number }> {
  const even = evenLight({ width, height, pixels: grayWithoutSeal(rgb, width, height), dpi });
  const skewDegrees = estimateSkew(even);
  return { image: await deskew(even, skewDegrees), skewDegrees };
}
