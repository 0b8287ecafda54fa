import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { loadPlantedData, startDemoPortals, type DemoPortal, type DemoPortals } from '../simulator/index.ts';
import { crawlSource, type CrawlResult } from './crawl-source.ts';
import type { CrawlOptions, CrawlProgress } from './page-crawler.ts';
import { CrawlError } from './errors.ts';
import { reply, startTestServer, type TestServer } from './test-server.ts';
import type { Source } from './types.ts';

const options: CrawlOptions = {
  userAgent: 'yangguang-test/1.0',
  maxPages: 200,
  requestTimeoutSecs: 5,
  concurrency: 4,
  allowPrivateNetworks: true,
};

function sourceOf(server: TestServer, path: string, id = 'test'): Source {
  return { id, name: id, startUrls: [server.origin + path], allowedHosts: [new URL(server.origin).host] };
}

async function crawlError(promise: Promise<unknown>): Promise<CrawlError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CrawlError, `expected a CrawlError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the crawl to throw');
}

describe('crawlSource on the demo portals', () => {
  let demo: DemoPortals;
  const results = new Map<string, CrawlResult>();
  const { decoys } = loadPlantedData();
  const pre2019Titles = new Set(decoys.filter((decoy) => decoy.kind === 'pre2019').map((decoy) => decoy.title));

  before(async () => {
    demo = await startDemoPortals();
    // All three at once: each crawl has its own storage, so they must not see each other's requests.
    const crawled = await Promise.all(demo.portals.map((portal) => crawlSource(portal.source, options)));
    demo.portals.forEach((portal, index) => results.set(portal.id, crawled[index]!));
  });
  after(async () => demo.close());

  const portal = (id: string): DemoPortal => demo.portals.find((candidate) => candidate.id === id)!;
  const path = (url: string) => new URL(url).pathname + new URL(url).search;

  for (const portalId of ['gansu', 'huaian', 'county']) {
    test(`${portalId}: finds exactly the planted reports' pages and PDFs, plus pre-2019 reports, and no guides`, () => {
      const result = results.get(portalId)!;
      const planted = demo.planted.filter((report) => report.portalId === portalId);
      const expected = new Set(planted.flatMap((report) => [report.detailUrl, report.pdfUrl].filter((url): url is string => url !== null)));
      const found = new Set(result.discovered.map((document) => document.url));
      for (const url of expected) assert.ok(found.has(url), `missing ${url}`);
      const extra = result.discovered.filter((document) => !expected.has(document.url));
      assert.ok(extra.length > 0, 'each demo portal lists a pre-2019 report');
      for (const document of extra) assert.ok(pre2019Titles.has(document.title), `unexpected ${document.url} (${document.title})`);
      assert.ok(result.discovered.every((document) => !document.title.includes('指南')));
      assert.equal(found.size, result.discovered.length, 'one document per URL');
      assert.deepEqual(result.errors, []);
    });

    test(`${portalId}: gives full titles, dates and kinds of the planted documents`, () => {
      const byUrl = new Map(results.get(portalId)!.discovered.map((document) => [document.url, document]));
      for (const report of demo.planted.filter((candidate) => candidate.portalId === portalId)) {
        const page = byUrl.get(report.detailUrl)!;
        assert.equal(page.title, report.title);
        assert.equal(page.publishedAt, report.publishedAt);
        assert.equal(page.kindHint, 'html');
        assert.equal(page.sourceId, portal(portalId).source.id);
        if (report.pdfUrl) {
          const pdf = byUrl.get(report.pdfUrl)!;
          assert.equal(pdf.kindHint, 'pdf');
          assert.equal(pdf.title, report.title);
          assert.equal(pdf.foundOn, report.detailUrl);
        }
      }
    });
  }

  test('follows pagination in all three portal styles', () => {
    const foundOn = (id: string) => new Set(results.get(id)!.discovered.map((document) => path(document.foundOn)));
    assert.ok(foundOn('gansu').has('/zwgk/zfxxgknb/index_1.html'), 'TRS 0-based page 2 is index_1.html');
    assert.ok(foundOn('county').has('/xxgk/xxgknb/index_2.html'), 'TRS 1-based page 2 is index_2.html');
    assert.ok(
      [...foundOn('huaian')].some((page) => page.startsWith('/module/web/jpage/dataproxy.jsp?startrecord=')),
      'Hanweb dataproxy',
    );
    assert.ok(results.get('county')!.pagesFetched > 0);
  });

  test('finds the department sub-column from the main column alone', async () => {
    const county = portal('county').source;
    const mainOnly = { ...county, startUrls: county.startUrls.filter((url) => url.includes('/xxgknb/')) };
    assert.equal(mainOnly.startUrls.length, 1);
    const result = await crawlSource(mainOnly, options);
    const found = new Set(result.discovered.map((document) => document.url));
    const department = demo.planted.filter((report) => report.portalId === 'county' && report.detailUrl.includes('/bmnb/'));
    assert.ok(department.length > 0);
    for (const report of department) assert.ok(found.has(report.detailUrl), `missing ${report.detailUrl}`);
  });

  test('stops after maxPages pages', async () => {
    const result = await crawlSource(portal('gansu').source, { ...options, maxPages: 2 });
    assert.ok(result.pagesFetched <= 2, `fetched ${result.pagesFetched}`);
  });
});

describe('crawlSource on small test servers', () => {
  test('throws a non-retryable HTTP_404 CrawlError when the start URL is missing', async () => {
    const server = await startTestServer((_request, response) => reply(response, 404, 'not here'));
    const error = await crawlError(crawlSource(sourceOf(server, '/nb/index.html'), options));
    await server.close();
    assert.equal(error.code, 'HTTP_404');
    assert.equal(error.retryable, false);
    assert.equal(server.seen.filter((seen) => seen.path !== '/robots.txt').length, 1, '4xx is not retried');
  });

  test('throws a retryable HTTP_503 CrawlError when the start URL keeps failing', async () => {
    const server = await startTestServer((_request, response) => reply(response, 503, 'busy'));
    const error = await crawlError(crawlSource(sourceOf(server, '/nb/index.html'), options));
    await server.close();
    assert.equal(error.code, 'HTTP_503');
    assert.equal(error.retryable, true);
    assert.ok(server.seen.length > 1, '5xx is retried');
  });

  test('throws a retryable BLOCKED CrawlError on a 412 $_ts challenge', async () => {
    const challenge = '<html><head><script>$_ts=window["$_ts"];if(!$_ts)$_ts={};$_ts.nsd=1234;</script></head><body></body></html>';
    const server = await startTestServer((_request, response) => reply(response, 412, challenge));
    const error = await crawlError(crawlSource(sourceOf(server, '/nb/index.html'), options));
    await server.close();
    assert.equal(error.code, 'BLOCKED');
    assert.equal(error.retryable, true);
  });

  test('records failing detail pages and challenge pages as errors and goes on', async () => {
    const list = `<ul>
      <li><a href="/a.html" title="甲县2021年政府信息公开工作年度报告">甲县2021年…</a><span>2022-01-10</span></li>
      <li><a href="/gone.html" title="乙县2021年政府信息公开工作年度报告">乙县</a><span>2022-01-11</span></li>
      <li><a href="/walled.html" title="丙县2021年政府信息公开工作年度报告">丙县</a><span>2022-01-12</span></li>
    </ul>`;
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/index.html') return reply(response, 200, list);
      if (request.url === '/a.html') return reply(response, 200, '<h1>甲县2021年政府信息公开工作年度报告</h1>');
      if (request.url === '/walled.html') return reply(response, 200, '<html><body>请开启JavaScript并刷新该页</body></html>');
      reply(response, 404, 'gone');
    });
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), options);
    await server.close();
    assert.deepEqual(
      result.discovered.map((document) => new URL(document.url).pathname),
      ['/a.html'],
    );
    const codes = Object.fromEntries(result.errors.map((error) => [new URL(error.url).pathname, error.code]));
    assert.deepEqual(codes, { '/gone.html': 'HTTP_404', '/walled.html': 'BLOCKED' });
  });

  test('tells onProgress its figures after every page, and goes on when the hook throws', async () => {
    const list = `<ul>
      <li><a href="/a.html" title="甲县2021年政府信息公开工作年度报告">甲县2021年…</a><span>2022-01-10</span></li>
      <li><a href="/gone.html" title="乙县2021年政府信息公开工作年度报告">乙县</a><span>2022-01-11</span></li>
    </ul>`;
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/index.html') return reply(response, 200, list);
      if (request.url === '/a.html') return reply(response, 200, '<h1>甲县2021年政府信息公开工作年度报告</h1>');
      reply(response, 404, 'gone');
    });
    const heard: CrawlProgress[] = [];
    const onProgress = (progress: CrawlProgress) => {
      heard.push(progress);
      throw new Error('a watcher that fails');
    };
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), { ...options, onProgress });
    await server.close();
    assert.deepEqual(
      heard.map((progress) => progress.pagesRead),
      [1, 2, 3],
    );
    assert.deepEqual(heard[0], { pagesRead: 1, listPages: 1, documentsFound: 0, failures: 0 });
    assert.deepEqual(heard.at(-1), { pagesRead: 3, listPages: 1, documentsFound: 1, failures: 1 });
    assert.equal(result.discovered.length, 1);
  });

  test('decodes a GBK list page that names its charset only in <meta>', async () => {
    // 镕 and 堃 are outside GB2312: only a gb18030/GBK decoder reads them.
    const title = '示例县镕堃乡2021年政府信息公开工作年度报告';
    const list = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
      <ul><li><a href="./202201/t20220110_1.html" title="${title}">示例县镕堃乡2021…</a><span>2022-01-10</span></li></ul></body></html>`;
    const detail = `<html><head><meta charset="gbk"><meta name="ArticleTitle" content="${title}"></head><body><p>附件：<a href="./P020220110.pdf">${title}.pdf</a></p></body></html>`;
    const server = await startTestServer((request, response) => {
      const body = request.url === '/nb/index.html' ? list : request.url === '/nb/202201/t20220110_1.html' ? detail : null;
      if (body === null) return reply(response, 404, 'no');
      // The list names its charset in <meta> only; the detail page also in the header.
      const type = request.url === '/nb/index.html' ? 'text/html' : 'text/html; charset=GBK';
      reply(response, 200, iconv.encode(body, 'gbk'), { 'content-type': type });
    });
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), options);
    await server.close();
    assert.deepEqual(
      result.discovered.map((document) => [new URL(document.url).pathname, document.title, document.kindHint, document.publishedAt]),
      [
        ['/nb/202201/t20220110_1.html', title, 'html', '2022-01-10'],
        ['/nb/202201/P020220110.pdf', title, 'pdf', '2022-01-10'],
      ],
    );
  });

  test('takes the full title from the detail page when the list cuts it, and sends its User-Agent', async () => {
    const full = '丁县人民政府2022年政府信息公开工作年度报告';
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/')
        return reply(response, 200, '<ul><li><a href="d.html">丁县人民政府2022年政府信息公…</a> 2023年1月5日</li></ul>');
      if (request.url === '/nb/d.html')
        return reply(response, 200, `<meta name="ArticleTitle" content="${full}"><meta name="PubDate" content="2023-01-05 10:00">`);
      reply(response, 404, 'no');
    });
    const result = await crawlSource(sourceOf(server, '/nb/'), options);
    await server.close();
    assert.equal(result.discovered.length, 1);
    assert.equal(result.discovered[0]!.title, full);
    assert.equal(result.discovered[0]!.publishedAt, '2023-01-05');
    assert.ok(server.seen.every((seen) => seen.headers['user-agent'] === options.userAgent));
  });

  test('finds attachments behind JS links and PDF viewers, and takes a report link that serves a PDF as the document', async () => {
    const detail = `<meta name="ArticleTitle" content="庚县2021年政府信息公开工作年度报告">
      <a href="javascript:void(0)" onclick="window.open('/files/report.pdf')">下载</a>
      <iframe src="/pdfjs/web/viewer.html?file=/files/table.docx"></iframe>`;
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/index.html') {
        return reply(
          response,
          200,
          `<li><a href="/show?id=7">庚县2021年政府信息公开工作年度报告</a> 2022-02-01</li>
          <li><a href="/show?id=8">辛县2021年政府信息公开工作年度报告</a> 2022-02-02</li>`,
        );
      }
      if (request.url === '/show?id=7') return reply(response, 200, detail);
      if (request.url === '/show?id=8') return reply(response, 200, '%PDF-1.4', { 'content-type': 'application/pdf' });
      reply(response, 404, 'no');
    });
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), options);
    await server.close();
    const found = result.discovered.map((document) => [
      new URL(document.url).pathname + new URL(document.url).search,
      document.kindHint,
      document.title,
    ]);
    assert.deepEqual(found.sort(), [
      ['/files/report.pdf', 'pdf', '庚县2021年政府信息公开工作年度报告'],
      ['/files/table.docx', 'docx', '庚县2021年政府信息公开工作年度报告'],
      ['/show?id=7', 'html', '庚县2021年政府信息公开工作年度报告'],
      ['/show?id=8', 'pdf', '辛县2021年政府信息公开工作年度报告'],
    ]);
    assert.deepEqual(result.errors, []);
  });

  test('records a detail page that never answers as TIMEOUT', async () => {
    const server = await startTestServer((request, response) => {
      if (request.url === '/nb/index.html')
        return reply(response, 200, '<li><a href="/hang.html">己县2021年政府信息公开工作年度报告</a></li>');
      response.flushHeaders();
    });
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), { ...options, requestTimeoutSecs: 1 });
    await server.close();
    assert.deepEqual(result.discovered, []);
    assert.deepEqual(
      result.errors.map((error) => [new URL(error.url).pathname, error.code]),
      [['/hang.html', 'TIMEOUT']],
    );
  });

  test('never leaves the allowed hosts', async () => {
    const elsewhere = await startTestServer((_request, response) => reply(response, 200, '<h1>戊县2021年政府信息公开工作年度报告</h1>'));
    const server = await startTestServer((_request, response) =>
      reply(response, 200, `<a href="${elsewhere.origin}/e.html" title="戊县2021年政府信息公开工作年度报告">戊县</a>`),
    );
    const result = await crawlSource(sourceOf(server, '/nb/index.html'), options);
    await Promise.all([server.close(), elsewhere.close()]);
    assert.deepEqual(result.discovered, []);
    assert.equal(elsewhere.seen.length, 0);
  });
});
