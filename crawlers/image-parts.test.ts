import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import { hasFigureTable, isTooSmallForTable, MAX_IMAGE_PARTS, reportImageParts } from './image-parts.ts';
import { readAttachments } from './read-detail-page.ts';

const PAGE = 'http://a.test/nb/202301/t20230110_1.html';

/** The image parts of a detail page, as the crawler reads them. */
function partsOf(body: string): string[] {
  const $ = cheerio.load(`<html><body>${body}</body></html>`);
  return reportImageParts($, PAGE, readAttachments($, PAGE));
}

const FIGURES = `<table>${['<tr><td>项目</td><td>本年新制作</td><td>本年废止</td></tr>', '<tr><td>规章</td><td>1</td><td>0</td></tr>', '<tr><td>规范性文件</td><td>8</td><td>26</td></tr>', '<tr><td>行政许可</td><td>120</td><td>3</td></tr>'].join('')}</table>`;

test('an article whose tables are images has its content images, then its linked image files, as parts in page order', () => {
  const parts = partsOf(`
    <div class="header"><img src="/images/logo.png"></div>
    <header><img src="/images/top.jpg"></header>
    <div id="zoom"><p>一、总体情况</p>
      <p><img src="./W1.jpg" alt="统计表"></p>
      <p><img data-original="./W2.png" src="/images/loading.png" width="800"></p>
      <p><img src="/images/print.png" width="16" height="16">打印</p>
      <p><img src="./qrcode.png"></p>
      <p><a href="/other/page.html"><img src="/banner/zt.jpg"></a></p>
      <p><a href="./W1.jpg"><img src="./W1.jpg"></a></p>
      <p><img src="./small.jpg" style="width: 120px"></p>
      <p>附件：<a href="./P3.tif">第3页</a></p>
    </div>`);
  assert.deepEqual(parts, ['http://a.test/nb/202301/W1.jpg', 'http://a.test/nb/202301/W2.png', 'http://a.test/nb/202301/P3.tif']);
});

test('an article whose text has a table of figures, or that links its report as a document, takes no images', () => {
  assert.ok(hasFigureTable(cheerio.load(`<body>${FIGURES}</body>`)));
  assert.ok(!hasFigureTable(cheerio.load('<body><table><tr><td>发布机构：</td><td>示例县</td><td>2023-01-10</td></tr></table></body>')));
  assert.deepEqual(partsOf(`<div id="zoom">${FIGURES}<p><img src="./W1.jpg"></p><a href="./P2.jpg">第2页</a></div>`), []);
  assert.deepEqual(partsOf('<div id="zoom"><p><img src="./W1.jpg"></p><a href="./report.pdf">年报全文.pdf</a></div>'), []);
  // A layout table around the text is no table of figures.
  assert.deepEqual(partsOf(`<table><tr><td><table><tr><td>x</td></tr></table><img src="./W1.jpg"></td></tr></table>`), [
    'http://a.test/nb/202301/W1.jpg',
  ]);
});

test('an article brings at most MAX_IMAGE_PARTS images', () => {
  const many = Array.from({ length: MAX_IMAGE_PARTS + 5 }, (_, index) => `<p><img src="./W${index}.jpg"></p>`).join('');
  assert.equal(partsOf(many).length, MAX_IMAGE_PARTS);
});

test('a fetched image too small for a table is left out; larger images and bytes that are no image are kept', async () => {
  const image = (width: number, height: number) =>
    sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
      .jpeg()
      .toBuffer();
  assert.equal(await isTooSmallForTable(await image(160, 48)), true);
  assert.equal(await isTooSmallForTable(await image(1240, 300)), false);
  assert.equal(await isTooSmallForTable(new TextEncoder().encode('<html><body>not an image</body></html>')), false);
  assert.equal(await isTooSmallForTable(new Uint8Array([0xff, 0xd8, 0x00, 0x01])), false, 'a broken JPEG is for extract to report');
});
