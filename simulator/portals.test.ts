import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import * as cheerio from 'cheerio';
import { startDemoPortals, type DemoPortals } from './index.ts';
import { loadPlantedData, pdfFileOf } from './planted-data.ts';

let demo: DemoPortals;
before(async () => {
  demo = await startDemoPortals();
});
after(async () => {
  await demo.close();
});

async function get(url: string, init?: RequestInit): Promise<{ status: number; type: string; text: string; url: string }> {
  const response = await fetch(url, init);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text(), url: response.url };
}

/** The list pages a TRS pager promises, read from its createPageHTML call (old and new signatures). */
function trsPagerUrls(pageUrl: string, pageHtml: string): { count: number; urls: string[] } {
  const old = /createPageHTML\(\s*countPage\s*,/.test(pageHtml);
  if (old) {
    const count = Number(/countPage\s*=\s*(\d+)/.exec(pageHtml)![1]);
    return { count, urls: Array.from({ length: count }, (_, n) => new URL(n === 0 ? 'index.html' : `index_${n}.html`, pageUrl).href) };
  }
  const [, count] = /createPageHTML\('page_div',\s*(\d+),/.exec(pageHtml)!;
  return {
    count: Number(count),
    urls: Array.from({ length: Number(count) }, (_, n) => new URL(n === 0 ? 'index.html' : `index_${n + 1}.html`, pageUrl).href),
  };
}

/** Every record of a Hanweb column: the inline ones, then dataproxy.jsp pages until totalrecord. */
async function hanwebRecords(columnUrl: string): Promise<{ pages: string[][]; total: number }> {
  const page = await get(columnUrl);
  const perPage = Number(/perpage:(\d+)/.exec(page.text)![1]);
  const columnId = /columnid:(\d+)/.exec(page.text)![1];
  const inline = [...page.text.matchAll(/<record><!\[CDATA\[(.*?)\]\]><\/record>/g)].map((match) => match[1]!);
  const pages = [inline];
  let total = Infinity;
  for (let start = inline.length + 1; start <= total; start += perPage) {
    const query = `startrecord=${start}&endrecord=${start + perPage - 1}&perpage=${perPage}`;
    const answer = await get(new URL(`/module/web/jpage/dataproxy.jsp?${query}`, columnUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `col=1&appid=1&webid=1&path=/&columnid=${columnId}`,
    });
    assert.match(answer.type, /xml/);
    total = Number(/<totalrecord>(\d+)<\/totalrecord>/.exec(answer.text)![1]);
    pages.push([...answer.text.matchAll(/<record><!\[CDATA\[(.*?)\]\]><\/record>/g)].map((match) => match[1]!));
  }
  return { pages, total };
}

/** Walks a column like a crawler: all list pages, their items, and the attachments of each detail page. */
async function walkColumn(startUrl: string): Promise<{ listPages: number; items: string[]; details: string[]; pdfs: string[] }> {
  const itemPages: { base: string; html: string[] }[] = [];
  const start = await get(startUrl);
  if (start.text.includes('<datastore>')) {
    const { pages, total } = await hanwebRecords(startUrl);
    assert.equal(pages.flat().length, total, 'dataproxy yields totalrecord records');
    itemPages.push(...pages.map((html) => ({ base: startUrl, html })));
  } else {
    const { count, urls } = trsPagerUrls(startUrl, start.text);
    for (const url of urls) itemPages.push({ base: url, html: [(await get(url)).text] });
    assert.equal((await get(new URL(`index_${count + 1}.html`, startUrl).href)).status, 404, 'no page beyond the pager');
  }
  const items: string[] = [];
  const details: string[] = [];
  const pdfs: string[] = [];
  for (const { base, html } of itemPages) {
    const $ = cheerio.load(html.join(''));
    const anchors = $('li a[title]').toArray();
    assert.ok(anchors.length >= 2 && anchors.length <= 3, `2–3 items on ${base}`);
    for (const anchor of anchors) {
      const detailUrl = new URL($(anchor).attr('href')!, base).href;
      items.push($(anchor).attr('title')!);
      details.push(detailUrl);
      const detail = await get(detailUrl);
      assert.equal(detail.type, 'text/html; charset=utf-8');
      const page$ = cheerio.load(detail.text);
      for (const link of page$('a[href$=".pdf"]').toArray()) pdfs.push(new URL(page$(link).attr('href')!, detailUrl).href);
    }
  }
  return { listPages: itemPages.length, items, details, pdfs };
}

test('three portals on distinct origins, each with a source pointing at its own host', () => {
  assert.ok(demo.portals.length >= 3);
  assert.equal(new Set(demo.portals.map((portal) => portal.baseUrl)).size, demo.portals.length);
  for (const portal of demo.portals) {
    assert.deepEqual(portal.source.allowedHosts, [new URL(portal.baseUrl).host]);
    for (const url of portal.source.startUrls) assert.equal(new URL(url).origin, portal.baseUrl);
  }
});

test('every column paginates as its pager says and reaches every planted report, HTML and PDF', async () => {
  const reachedPages = new Set<string>();
  const reachedPdfs = new Set<string>();
  const titles = new Set<string>();
  for (const portal of demo.portals) {
    for (const startUrl of portal.source.startUrls) {
      const column = await walkColumn(startUrl);
      assert.ok(column.listPages >= 2, `${startUrl} has at least two list pages`);
      column.details.forEach((url) => reachedPages.add(url));
      column.pdfs.forEach((url) => reachedPdfs.add(url));
      column.items.forEach((title) => titles.add(title));
    }
  }
  assert.equal(demo.planted.length, loadPlantedData().reports.length);
  for (const report of demo.planted) {
    assert.ok(reachedPages.has(report.detailUrl), `${report.id} detail page reached`);
    if (report.pdfUrl) assert.ok(reachedPdfs.has(report.pdfUrl), `${report.id} PDF reached`);
    assert.ok(titles.has(report.title));
  }
  for (const decoy of loadPlantedData().decoys) assert.ok(titles.has(decoy.title), `${decoy.id} listed too`);
});

test('PDF attachments are served as application/pdf from the committed files, Hanweb through a 302', async () => {
  const withPdf = demo.planted.filter((report) => report.pdfUrl);
  assert.ok(withPdf.length >= 3);
  for (const report of withPdf) {
    const committed = readFileSync(pdfFileOf(report.id));
    assert.equal(committed.subarray(0, 5).toString('latin1'), '%PDF-');
    const response = await fetch(report.pdfUrl!);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), committed);
    if (report.pdfUrl!.includes('downfile.jsp')) {
      const first = await fetch(report.pdfUrl!, { redirect: 'manual' });
      assert.equal(first.status, 302);
      assert.match(first.headers.get('location') ?? '', /^\/attach\/0\/[0-9a-f]{32}\.pdf$/);
    }
  }
  for (const report of demo.planted.filter((report) => !report.pdfUrl)) assert.equal(existsSync(pdfFileOf(report.id)), false);
});

test('a pdf-only detail page holds no tables; decoy pages hold no statutory tables', async () => {
  for (const report of demo.planted.filter((report) => report.htmlUrl === null)) {
    const $ = cheerio.load((await get(report.detailUrl)).text);
    assert.equal($('table:not(.xxgk-head)').length, 0);
    assert.ok(report.pdfUrl);
  }
  const county = demo.portals.find((portal) => portal.id === 'county')!;
  const department = await walkColumn(county.source.startUrls[1]!);
  const pre2019 = department.items.findIndex((title) => title.includes('2018年'));
  const $ = cheerio.load((await get(department.details[pre2019]!)).text);
  assert.match($('#zoom').text(), /一、概述/);
  assert.equal($('#zoom table').length, 0);
});

test('each portal serves its planted reports at /__manifest.json, and 404 for unknown paths', async () => {
  for (const portal of demo.portals) {
    const manifest = JSON.parse((await get(`${portal.baseUrl}/__manifest.json`)).text) as { id: string; portalId: string }[];
    assert.deepEqual(
      manifest.map((entry) => entry.id).sort(),
      demo.planted
        .filter((report) => report.portalId === portal.id)
        .map((report) => report.id)
        .sort(),
    );
    assert.equal((await get(`${portal.baseUrl}/no/such/page.html`)).status, 404);
  }
});

test('with scans, the TRS portals publish an image-only PDF, image attachments and an article of <img> tables', async () => {
  const scanned = await startDemoPortals({ scans: true });
  try {
    const reports = scanned.planted.filter((report) => report.scanned);
    assert.equal(scanned.planted.length, loadPlantedData({ scans: true }).reports.length);
    assert.deepEqual(reports.map((report) => report.scanned).sort(), ['html-images', 'scan-images', 'scan-pdf']);
    for (const report of reports) {
      const detail = await get(report.detailUrl);
      assert.equal(detail.status, 200);
      const $ = cheerio.load(detail.text);
      assert.equal($('#zoom table').length, 0, `${report.id}: no table in the text`);
      if (report.scanned === 'scan-pdf') {
        const pdf = Buffer.from(await (await fetch(report.pdfUrl!)).arrayBuffer());
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
        assert.ok(pdf.includes('/DCTDecode') && !pdf.includes('/Font'), 'pages are JPEG images, no text layer');
        continue;
      }
      assert.ok(report.scanUrls.length >= 1);
      const shown = $(report.scanned === 'html-images' ? '#zoom img' : '#zoom a')
        .toArray()
        .map((element) => new URL($(element).attr('src') ?? $(element).attr('href')!, report.detailUrl).href);
      for (const url of report.scanUrls) {
        assert.ok(shown.includes(url), `${report.id}: ${url} in the page`);
        const image = await fetch(url);
        assert.deepEqual([image.status, image.headers.get('content-type')?.startsWith('image/')], [200, true]);
        await image.arrayBuffer();
      }
      if (report.scanned === 'html-images')
        assert.ok($('.header img').length === 1 && shown.length > report.scanUrls.length, 'decoration too');
    }
  } finally {
    await scanned.close();
  }
});
