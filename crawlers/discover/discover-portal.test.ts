import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CatalogEntry, PortalDiscovery } from '../catalog-types.ts';
import { reply, startTestServer, type TestServer } from '../test-server.ts';
import { discoverPortal, discoverPortals, type DiscoverOptions } from './index.ts';

/** A page as a route answers it: HTML, or a status with a body and headers. */
type Answer = string | { status: number; body: string; headers?: Record<string, string> };

const servers: TestServer[] = [];

/** A site on its own port of 127.0.0.1 whose pages are given by path; `pages` may be filled after it listens. */
async function startSite(
  pages: Map<string, Answer> = new Map(),
): Promise<{ origin: string; pages: Map<string, Answer>; server: TestServer }> {
  const server = await startTestServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const answer = pages.get(url.pathname + url.search) ?? pages.get(url.pathname);
    if (answer === undefined) return reply(response, 404, '<html><body>404 Not Found</body></html>');
    if (typeof answer === 'string') return reply(response, 200, answer);
    reply(response, answer.status, answer.body, answer.headers);
  });
  servers.push(server);
  return { origin: server.origin, pages, server };
}

function page(siteName: string, title: string, main: string, metas = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="SiteName" content="${siteName}">${metas}<title>${title}_${siteName}</title></head>
<body><div class="header">${siteName}</div><div class="main">${main}</div><div class="footer">主办：${siteName}办公室 联系我们 网站地图</div></body></html>`;
}

const list = (items: [href: string, title: string][]) =>
  `<ul class="list">${items.map(([href, title]) => `<li><a href="${href}" title="${title}">${title}</a><span>2023-01-18</span></li>`).join('')}</ul>`;

function entry(id: string, name: string, portalUrl: string): CatalogEntry {
  return { id, regionCode: null, name, level: 'county', parentCode: null, path: `某省/某市/${name}`, portalUrl };
}

const options: DiscoverOptions = {
  userAgent: 'yangguang-test/1.0',
  requestTimeoutSecs: 5,
  delayMs: 0,
  maxPages: 40,
  allowPrivateNetworks: true,
};

after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('discoverPortal on small portals served on 127.0.0.1', () => {
  let trs: string;
  let hanweb: string;

  before(async () => {
    const site = await startSite();
    trs = site.origin;
    const name = '示例县人民政府';
    site.pages.set(
      '/',
      page(
        name,
        '首页',
        `<ul class="nav"><li><a href="/">首页</a></li><li><a href="/xwzx/">新闻中心</a></li><li><a href="/zwgk/">政务公开</a></li></ul>
      ${list([
        ['/xwzx/202403/t20240301_9001.html', '关于做好2023年政府信息公开工作年度报告编制和发布工作的通知'],
        ['/xwzx/202403/t20240302_9002.html', '示例县2023年政府信息公开工作年度报告发布'],
      ])}`,
      ),
    );
    site.pages.set('/zwgk/', page(name, '政务公开', `<a href="/zwgk/zfxxgk/">政府信息公开</a><a href="/zwgk/gzyd/">政务公开工作要点</a>`));
    site.pages.set(
      '/zwgk/zfxxgk/',
      page(
        name,
        '政府信息公开',
        `<a href="/zwgk/zfxxgk/zn/">政府信息公开指南</a>
      <a href="/zwgk/zfxxgk/zfxxgknb/">政府信息公开年报</a><a href="/zwgk/ndbb/">政府网站工作年度报表</a>`,
      ),
    );
    site.pages.set(
      '/zwgk/zfxxgk/zfxxgknb/',
      page(
        name,
        '政府信息公开年报',
        `
      <div class="sub-columns"><h3>部门</h3><ul><li><a href="./czj/">财政局</a></li><li><a href="./jyj/" title="教育局政府信息公开年报">教育局</a></li></ul>
      <h3>乡镇（街道）</h3><ul><li><a href="./hdx/">河东乡</a></li></ul></div>
      ${list([
        ['./202301/t20230118_1001.html', '示例县2022年政府信息公开工作年度报告'],
        ['./202201/t20220120_1002.html', '示例县2021年政府信息公开工作年度报告'],
      ])}
      <script>var countPage = 1; var currentPage = 0; createPageHTML(countPage, currentPage, "index", "html");</script>`,
        '<meta name="ColumnName" content="政府信息公开年报">',
      ),
    );
    site.pages.set(
      '/zwgk/zfxxgk/zfxxgknb/czj/',
      page(name, '财政局', list([['./202301/t20230116_2001.html', '示例县财政局2022年政府信息公开工作年度报告']])),
    );
    site.pages.set(
      '/zwgk/zfxxgk/zfxxgknb/jyj/',
      page(name, '教育局', list([['./202301/t20230116_2002.html', '2022年示例县教育局政府信息公开工作年度报告']])),
    );
    site.pages.set(
      '/zwgk/zfxxgk/zfxxgknb/hdx/',
      page(name, '河东乡', list([['./202301/t20230120_2003.html', '示例县河东乡人民政府2022年政府信息公开工作年度报告']])),
    );
    site.pages.set(
      '/zwgk/ndbb/',
      page(name, '政府网站工作年度报表', list([['./202301/t20230110_3001.html', '示例县人民政府门户网站2022年政府网站工作年度报表']])),
    );

    const hanwebSite = await startSite();
    hanweb = hanwebSite.origin;
    const cityName = '样例市人民政府';
    hanwebSite.pages.set(
      '/',
      page(cityName, '首页', `<a href="/col/col100/index.html">信息公开</a><a href="/col/col90/index.html">新闻动态</a>`),
    );
    hanwebSite.pages.set(
      '/col/col100/index.html',
      page(
        cityName,
        '信息公开',
        `<a href="/col/col200/index.html">政府信息公开年报</a><a href="/col/col201/index.html">政府信息公开指南</a>`,
      ),
    );
    hanwebSite.pages.set(
      '/col/col200/index.html',
      page(
        cityName,
        '政府信息公开年报',
        `<div id="200"><script type="text/xml"><datastore>
      <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=200&unitid=1403"></a>]]></nextgroup><recordset>
      <record><![CDATA[<li class="clearfix"><a href="/art/2023/1/18/art_200_31.html" title="样例市2022年政府信息公开工作年度报告">样例市2022年政府信息公开工作年度报告</a><span>2023-01-18</span></li>]]></record>
      <record><![CDATA[<li class="clearfix"><a href="/art/2022/1/19/art_200_30.html" title="样例市2021年政府信息公开工作年度报告">样例市2021年政府信息公开工作年度报告</a><span>2022-01-19</span></li>]]></record>
      </recordset></datastore></script><script src="/module/web/jpage/jpage.js"></script></div>`,
      ),
    );
  });

  test('follows 政务公开 → 政府信息公开 → 年报 on a TRS-like portal and finds its department and township sub-columns', async () => {
    const discovery = await discoverPortal(entry('gov-demo', '示例县', `${trs}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.equal(discovery.platform, 'trs');
    const columns = discovery.columns.map(({ url, scope, body, method }) => ({ url: url.replace(trs, ''), scope, body, method }));
    assert.deepEqual(columns, [
      { url: '/zwgk/zfxxgk/zfxxgknb/', scope: 'government', body: undefined, method: 'platform-page' },
      { url: '/zwgk/zfxxgk/zfxxgknb/czj/', scope: 'department', body: '财政局', method: 'platform-page' },
      { url: '/zwgk/zfxxgk/zfxxgknb/jyj/', scope: 'department', body: '教育局', method: 'platform-page' },
      { url: '/zwgk/zfxxgk/zfxxgknb/hdx/', scope: 'township', body: '河东乡', method: 'platform-page' },
    ]);
    assert.match(discovery.columns[0]!.evidence, /政府信息公开年报.*2 report titles/);
    assert.ok(discovery.pagesFetched <= 10, `fetched ${discovery.pagesFetched} pages`);
  });

  test('with its page budget spent, still takes the sub-columns linked inside the column folder, saying they were not fetched', async () => {
    const discovery = await discoverPortal(entry('gov-demo', '示例县', `${trs}/`), { ...options, maxPages: 5 });
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.equal(discovery.pagesFetched, 5);
    const subColumns = discovery.columns.filter((column) => column.scope !== 'government');
    assert.deepEqual(subColumns.map((column) => column.body).sort(), ['教育局', '河东乡', '财政局'].sort());
    assert.equal(subColumns.filter((column) => /not fetched \(page budget spent\)/.test(column.evidence)).length, 2);
  });

  test("reads a Hanweb column's records from its inline datastore", async () => {
    const discovery = await discoverPortal({ ...entry('gov-yangli', '样例市', `${hanweb}/`), level: 'prefecture' }, options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(
      discovery.columns.map((column) => [column.url, column.platform, column.method]),
      [[`${hanweb}/col/col200/index.html`, 'hanweb', 'platform-page']],
    );
  });
});

describe('discoverPortal through 部门 / 乡镇 index pages that list sub-columns by bare name', () => {
  const name = '索引县人民政府';
  const report = (folder: string, issuer: string, id: number) =>
    list([[`${folder}202301/t20230116_${id}.html`, `索引县${issuer}2022年政府信息公开工作年度报告`]]);
  const bare = (links: [href: string, text: string][]) =>
    `<ul>${links.map(([href, text]) => `<li><a href="${href}">${text}</a></li>`).join('')}</ul>`;

  /** A county whose column links only its 部门 and 乡镇 index pages; `bodies` are the departments the 部门 index lists. */
  async function indexedPortal(bodies: [slug: string, body: string, isColumn: boolean][]): Promise<string> {
    const site = await startSite();
    site.pages.set('/', page(name, '首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a><a href="/xwzx/">新闻中心</a>'));
    site.pages.set(
      '/zfxxgk/zfxxgknb/',
      page(
        name,
        '政府信息公开年报',
        `
      <div class="sub-columns"><h3>分类年报</h3><a href="./bm/">部门政府信息公开年报</a><a href="./xz/">乡镇（街道）政府信息公开年报</a></div>
      ${list([
        ['./202303/t20230320_1.html', '索引县2022年政府信息公开工作年度报告'],
        ['./202203/t20220320_2.html', '索引县2021年政府信息公开工作年度报告'],
      ])}`,
        '<meta name="ColumnName" content="政府信息公开年报">',
      ),
    );
    site.pages.set(
      '/zfxxgk/zfxxgknb/bm/',
      page(
        name,
        '部门政府信息公开年报',
        `<div class="crumb">当前位置：<a href="/">首页</a></div>
      ${bare([['/', '首页'], ...bodies.map(([slug, body]): [string, string] => [`./${slug}/`, body])])}`,
      ),
    );
    bodies.forEach(([slug, body, isColumn], index) => {
      const folder = `/zfxxgk/zfxxgknb/bm/${slug}/`;
      const news = list([
        [`${folder}202403/t20240301_${900 + index}.html`, `${body}召开2024年工作会议`],
        [`${folder}202402/t20240201_${950 + index}.html`, `${body}开展走访活动`],
      ]);
      site.pages.set(folder, page(name, body, isColumn ? report(folder, body, 100 + index) : news));
    });
    site.pages.set('/zfxxgk/zfxxgknb/xz/', page(name, '乡镇（街道）政府信息公开年报', bare([['./cgz/', '城关镇']])));
    site.pages.set('/zfxxgk/zfxxgknb/xz/cgz/', page(name, '城关镇', report('/zfxxgk/zfxxgknb/xz/cgz/', '城关镇人民政府', 300)));
    return site.origin;
  }

  const columnsOf = (discovery: PortalDiscovery, origin: string) =>
    discovery.columns.map(({ url, scope, body }) => [url.replace(origin, ''), scope, body ?? null]);

  test('follows each index to the bodies it lists, takes those listing their reports, and neither the index nor a body page of news', async () => {
    const origin = await indexedPortal([
      ['czj', '财政局', true],
      ['bgs', '办公室', false],
      ['jyj', '教育局', true],
    ]);
    const discovery = await discoverPortal(entry('gov-index', '索引县', `${origin}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(columnsOf(discovery, origin), [
      ['/zfxxgk/zfxxgknb/', 'government', null],
      ['/zfxxgk/zfxxgknb/bm/czj/', 'department', '财政局'],
      ['/zfxxgk/zfxxgknb/bm/jyj/', 'department', '教育局'],
      ['/zfxxgk/zfxxgknb/xz/cgz/', 'township', '城关镇'],
    ]);
    const finance = discovery.columns.find((column) => column.body === '财政局')!;
    assert.match(finance.evidence, /sub-column 「财政局」 in .*\/zfxxgknb\/bm\/; 1 report title/);
  });

  test('checks index siblings beyond maxPages within their own allowance, then takes the rest of their shape unfetched, saying so', async () => {
    const origin = await indexedPortal([
      ['czj', '财政局', true],
      ['jyj', '教育局', true],
      ['mzj', '民政局', true],
      ['tjj', '统计局', true],
      ['sjj', '审计局', true],
    ]);
    const discovery = await discoverPortal(entry('gov-index', '索引县', `${origin}/`), {
      ...options,
      maxPages: 4,
      maxSubColumnCheckPages: 3,
    });
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.equal(discovery.pagesFetched, 7);
    const departments = discovery.columns.filter((column) => column.scope === 'department');
    assert.deepEqual(departments.map((column) => column.body).sort(), ['财政局', '教育局', '民政局', '统计局', '审计局'].sort());
    const unfetched = departments.filter((column) => /not fetched \(page budget spent\)/.test(column.evidence));
    assert.equal(unfetched.length, 3);
    for (const column of unfetched)
      assert.match(column.evidence, /listed by that index like 2 siblings of the same address shape that list their body's reports/);
    // The 乡镇 index was fetched (a group link of the column, within maxPages) and its one sibling checked first.
    assert.ok(discovery.columns.some((column) => column.body === '城关镇' && !/not fetched/.test(column.evidence)));
  });

  test('takes no unfetched sibling from an index where one checked sibling in three was no column', async () => {
    const bodies: [string, string, boolean][] = [
      ['bgs', '办公室', false],
      ['czj', '财政局', true],
      ['mzj', '民政局', true],
      ['tjj', '统计局', true],
      ['sjj', '审计局', true],
    ];
    const origin = await indexedPortal(bodies);
    // Four checks: the samples of both indexes (办公室, 财政局; 城关镇), then 民政局; 统计局 and 审计局 stay unfetched.
    const discovery = await discoverPortal(entry('gov-index', '索引县', `${origin}/`), {
      ...options,
      maxPages: 4,
      maxSubColumnCheckPages: 4,
    });
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(
      discovery.columns
        .filter((column) => column.scope === 'department')
        .map((column) => column.body)
        .sort(),
      ['民政局', '财政局'].sort(),
    );
  });

  test("goes from a 乡镇 index through a town's own 信息公开 page to its 年报 column, taken as the town's", async () => {
    const site = await startSite();
    site.pages.set('/', page(name, '首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    site.pages.set(
      '/zfxxgk/zfxxgknb/',
      page(
        name,
        '政府信息公开年报',
        `<a href="/xzxxgk/">乡镇政府信息公开年报</a>
      ${list([['./202303/t20230320_1.html', '索引县2022年政府信息公开工作年度报告']])}`,
        '<meta name="ColumnName" content="政府信息公开年报">',
      ),
    );
    site.pages.set(
      '/xzxxgk/',
      page(
        name,
        '乡镇信息公开',
        bare([
          ['./cgz/', '城关镇人民政府'],
          ['./hdx/', '河东乡人民政府'],
        ]),
      ),
    );
    for (const [slug, town] of [
      ['cgz', '城关镇'],
      ['hdx', '河东乡'],
    ] as const) {
      site.pages.set(
        `/xzxxgk/${slug}/`,
        page(name, `${town}信息公开`, `<a href="./zfxxgkzn/">政府信息公开指南</a><a href="./zfxxgknb/">政府信息公开年报</a>`),
      );
      site.pages.set(
        `/xzxxgk/${slug}/zfxxgknb/`,
        page(name, '政府信息公开年报', report(`/xzxxgk/${slug}/zfxxgknb/`, `${town}人民政府`, slug.length * 7)),
      );
    }
    const discovery = await discoverPortal(entry('gov-towns', '索引县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(columnsOf(discovery, site.origin), [
      ['/zfxxgk/zfxxgknb/', 'government', null],
      ['/xzxxgk/cgz/zfxxgknb/', 'township', '城关镇'],
      ['/xzxxgk/hdx/zfxxgknb/', 'township', '河东乡'],
    ]);
  });

  test('does not take the year folders of a column for columns, though each names itself 2023年政府信息公开年报', async () => {
    const site = await startSite();
    site.pages.set('/', page(name, '首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    site.pages.set(
      '/zfxxgk/zfxxgknb/',
      page(
        name,
        '政府信息公开年报',
        '<h3>年度</h3><a href="./2023n/">2023年</a><a href="./2022n/">2022年</a>',
        '<meta name="ColumnName" content="政府信息公开年报">',
      ),
    );
    for (const year of [2023, 2022]) {
      const crumb = `<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/zfxxgknb/${year}n/">${year}年政府信息公开年报</a></div>`;
      site.pages.set(
        `/zfxxgk/zfxxgknb/${year}n/`,
        page(
          name,
          `${year}年政府信息公开年报`,
          crumb + list([[`./202403/t20240320_${year}.html`, `索引县${year}年政府信息公开工作年度报告`]]),
          `<meta name="ColumnName" content="${year}年政府信息公开年报">`,
        ),
      );
    }
    const discovery = await discoverPortal(entry('gov-years', '索引县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(columnsOf(discovery, site.origin), [['/zfxxgk/zfxxgknb/', 'government', null]]);
    assert.match(discovery.columns[0]!.evidence, /its year sub-column lists 1 report title/);
  });
});

describe('discoverPortal when links do not lead to the column', () => {
  test('finds a column by a path guess, passing over a soft 404 on the way', async () => {
    const site = await startSite();
    site.pages.set('/', page('测试区人民政府', '首页', '<a href="/about/">走进测试区</a>'));
    site.pages.set('/zfxxgk/zfxxgknb/', page('测试区人民政府', '提示', '<p>对不起，您访问的页面不存在！</p>'));
    site.pages.set(
      '/xxgk/xxgknb/',
      page('测试区人民政府', '信息公开年报', list([['./202301/t20230118_5.html', '测试区2022年政府信息公开工作年度报告']])),
    );
    const discovery = await discoverPortal(entry('gov-test', '测试区', `${site.origin}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(
      discovery.columns.map((column) => [column.url, column.method]),
      [[`${site.origin}/xxgk/xxgknb/`, 'path-guess']],
    );
    assert.match(discovery.columns[0]!.evidence, /path guess \/xxgk\/xxgknb\/ answered; 1 report title/);
  });

  test('does not take a news list for the column because one news item announces a report', async () => {
    const site = await startSite();
    const name = '新闻县人民政府';
    const news: [string, string][] = Array.from({ length: 9 }, (_, index) => [
      `/art/2024/3/${index + 1}/art_300_${index + 10}.html`,
      `新闻县召开第${index + 1}次常务会议`,
    ]);
    site.pages.set(
      '/',
      page(
        name,
        '首页',
        `<a href="/col/col300/index.html">新闻动态</a><a href="/jd/">政府信息公开年度报告解读</a>
      ${list([['/art/2024/3/20/art_300_99.html', '新闻县2023年政府信息公开工作年度报告发布'], ...news.slice(0, 3)])}`,
      ),
    );
    site.pages.set(
      '/col/col300/index.html',
      page(name, '新闻动态', list([['/art/2024/3/20/art_300_99.html', '新闻县2023年政府信息公开工作年度报告发布'], ...news])),
    );
    const discovery = await discoverPortal(entry('gov-news', '新闻县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'no-column');
    assert.deepEqual(discovery.columns, []);
    assert.match(discovery.reason ?? '', /no 年报 column found after \d+ pages/);
  });

  test("follows the home page's link to its own 信息公开 site on another host, but takes nothing from another government's portal", async () => {
    const other = await startSite();
    other.pages.set('/', page('样例市人民政府', '首页', '<a href="/zfxxgknb/">政府信息公开年报</a>'));
    other.pages.set(
      '/zfxxgknb/',
      page('样例市人民政府', '政府信息公开年报', list([['./202301/t20230118_7.html', '样例市2022年政府信息公开工作年度报告']])),
    );
    const xxgk = await startSite();
    xxgk.pages.set('/', page('演示县政府信息公开平台', '首页', '<a href="/zfxxgknb/">政府信息公开年报</a>'));
    xxgk.pages.set(
      '/zfxxgknb/',
      page('演示县政府信息公开平台', '政府信息公开年报', list([['./202301/t20230118_8.html', '演示县2022年政府信息公开工作年度报告']])),
    );
    const home = await startSite();
    home.pages.set(
      '/',
      page('演示县人民政府', '首页', `<a href="${other.origin}/">样例市政府信息公开</a><a href="${xxgk.origin}/">政府信息公开</a>`),
    );
    const discovery = await discoverPortal(entry('gov-yanshi', '演示县', `${home.origin}/`), options);
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(
      discovery.columns.map((column) => [column.url, column.method]),
      [[`${xxgk.origin}/zfxxgknb/`, 'xxgk-subdomain']],
    );
  });

  test("finds a county's sub-column on its parent's portal, and not the parent's own column", async () => {
    const parent = await startSite();
    const parentName = '黔西南州人民政府';
    parent.pages.set('/', page(parentName, '首页', '<a href="/zfxxgk/">政府信息公开</a>'));
    parent.pages.set('/zfxxgk/', page(parentName, '政府信息公开', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    parent.pages.set(
      '/zfxxgk/zfxxgknb/',
      page(
        parentName,
        '政府信息公开年报',
        `<h3>县市</h3><a href="./xrs/">兴仁市</a><a href="./alx/">安龙县</a>
      ${list([['./202301/t20230118_1.html', '黔西南州2022年政府信息公开工作年度报告']])}`,
      ),
    );
    parent.pages.set(
      '/zfxxgk/zfxxgknb/xrs/',
      page(parentName, '兴仁市', list([['./202303/t20230320_2.html', '兴仁市2022年政府信息公开工作年度报告']])),
    );
    parent.pages.set(
      '/zfxxgk/zfxxgknb/alx/',
      page(parentName, '安龙县', list([['./202303/t20230320_3.html', '安龙县2022年政府信息公开工作年度报告']])),
    );
    const county = await startSite();
    county.pages.set('/', page('兴仁市人民政府', '首页', '<a href="/xwzx/">新闻</a>'));
    const discovery = await discoverPortal(entry('gov-xingren', '兴仁市', `${county.origin}/`), {
      ...options,
      parentPortalUrl: `${parent.origin}/`,
    });
    assert.equal(discovery.status, 'ok', discovery.reason ?? '');
    assert.deepEqual(
      discovery.columns.map((column) => [column.url, column.scope, column.method]),
      [[`${parent.origin}/zfxxgk/zfxxgknb/xrs/`, 'government', 'parent-portal']],
    );
  });
});

describe('discoverPortal on portals that cannot be read', () => {
  test('a closed port is dead, named as crawl failures name it: connection refused', async () => {
    const site = await startSite();
    const origin = site.origin;
    await site.server.close();
    const discovery = await discoverPortal(entry('gov-dead', '无人县', `${origin}/`), options);
    assert.equal(discovery.status, 'dead');
    assert.match(
      discovery.reason ?? '',
      /^home page unreachable: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): nothing listens there, or a firewall refuses it$/,
    );
    assert.deepEqual(discovery.columns, []);
  });

  test('a 521 cookie challenge is browser-only', async () => {
    const site = await startSite();
    site.pages.set('/', {
      status: 521,
      body: '<html><script>document.cookie="__jsl_clearance=1701475200.123|0|x; path=/";location.reload();</script></html>',
    });
    const discovery = await discoverPortal(entry('gov-waf', '防护县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'browser-only');
    assert.match(discovery.reason ?? '', /加速乐/);
  });

  test('a home page redirecting to a site of someone else is moved, with movedTo, and that site is not searched', async () => {
    const target = await startSite();
    target.pages.set('/', page('某某科技有限公司', '首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    const site = await startSite();
    site.pages.set('/', { status: 301, body: '', headers: { location: `${target.origin}/` } });
    const discovery = await discoverPortal(entry('gov-moved', '旧址县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'moved');
    assert.equal(discovery.movedTo, `${target.origin}/`);
    assert.match(discovery.reason ?? '', /does not name 旧址县/);
    assert.equal(target.server.seen.length, 1);
  });

  test('a portal moved to a new host that names it is moved, and its columns are found there', async () => {
    const target = await startSite();
    target.pages.set('/', page('旧址县人民政府', '首页', '<a href="/zfxxgk/zfxxgknb/">政府信息公开年报</a>'));
    target.pages.set(
      '/zfxxgk/zfxxgknb/',
      page('旧址县人民政府', '政府信息公开年报', list([['./202301/t20230118_1.html', '旧址县2022年政府信息公开工作年度报告']])),
    );
    const site = await startSite();
    site.pages.set('/', { status: 301, body: '', headers: { location: `${target.origin}/` } });
    const discovery = await discoverPortal(entry('gov-moved2', '旧址县', `${site.origin}/`), options);
    assert.equal(discovery.status, 'moved');
    assert.equal(discovery.movedTo, `${target.origin}/`);
    assert.deepEqual(
      discovery.columns.map((column) => [column.url, column.method]),
      [[`${target.origin}/zfxxgk/zfxxgknb/`, 'link-text']],
    );
  });
});

describe('discoverPortals', () => {
  // The spacing of requests (delayMs) is the host scheduler's, tested on a manual clock in host-scheduler.test.ts.
  test('streams one result per portal and counts them, asking one host one request at a time', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const shared = await startTestServer((_request, response) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      setTimeout(() => {
        inFlight--;
        reply(response, 404, 'no');
      }, 5);
    });
    servers.push(shared);
    const entries = Array.from({ length: 4 }, (_, index) => entry(`gov-${index}`, `第${index}县`, `${shared.origin}/${index}/`));
    const results: PortalDiscovery[] = [];
    const summary = await discoverPortals(
      entries,
      { ...options, concurrency: 4, delayMs: 30 },
      (discovery) => void results.push(discovery),
    );
    assert.deepEqual(results.map((result) => result.sourceId).sort(), ['gov-0', 'gov-1', 'gov-2', 'gov-3']);
    assert.deepEqual(summary, { portals: 4, ok: 0, columns: 0, moved: 0, dead: 4, browserOnly: 0, noColumn: 0 });
    assert.equal(mostInFlight, 1);
  });
});
