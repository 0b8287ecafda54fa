/**
 * The scan generator's additions: a pen signature (blue-black, where the seed puts it, the same for the same seed)
 * and two pages laid on one landscape sheet with a fold shadow between them. Real pixels through sharp.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GrayImage } from '../extract/pdfium-render.ts';
import { degradePage, twoUpSheets } from './scan-render.ts';

/** A blank A4 page at 100 dpi with a dark bar, so each page can be told apart. */
function page(barX: number): GrayImage {
  const width = 827;
  const height = 1169;
  const pixels = new Uint8Array(width * height).fill(255);
  for (let y = 100; y < 120; y++) pixels.fill(0, y * width + barX, y * width + barX + 200);
  return { width, height, pixels, scale: 100 / 72 };
}

/** Pixels of blue-black pen ink: blue well above red (the red seal is the opposite, the black bar has neither). */
function penPixels(pixels: Buffer): number {
  let count = 0;
  for (let i = 0; i < pixels.length; i += 3) if (pixels[i + 2]! - pixels[i]! > 40) count++;
  return count;
}

test('a signed page carries pen ink where the seed puts it, the same for the same seed', async () => {
  const plain = await degradePage(page(100), 100, 7, '示例县人民政府');
  const signed = await degradePage(page(100), 100, 7, '示例县人民政府', { signature: true });
  const again = await degradePage(page(100), 100, 7, '示例县人民政府', { signature: true });
  assert.ok(penPixels(signed.pixels) > 500, `pen strokes drawn (${penPixels(signed.pixels)} pixels)`);
  assert.ok(penPixels(plain.pixels) < 50, 'no pen ink without the option');
  assert.ok(signed.pixels.equals(again.pixels), 'deterministic for the seed');
  const other = await degradePage(page(100), 100, 8, '示例县人民政府', { signature: true });
  assert.ok(!signed.pixels.equals(other.pixels), 'another seed, another page');
});

test('two-up sheets put pages side by side, two a sheet, with a fold shadow between them', () => {
  const sheets = twoUpSheets([page(100), page(500), page(300)]);
  assert.equal(sheets.length, 2, 'three pages: two sheets, the last page alone');
  const [first] = sheets;
  assert.equal(first!.width, 827 * 2);
  const at = (x: number, y: number) => first!.pixels[y * first!.width + x]!;
  assert.equal(at(150, 110), 0, "the first page's bar on the left");
  assert.equal(at(827 + 550, 110), 0, "the second page's bar on the right");
  assert.ok(at(827, 600) < 200, `the fold is shaded (${at(827, 600)})`);
  assert.equal(at(400, 600), 255, 'the pages themselves are not');
});
