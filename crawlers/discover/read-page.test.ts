import assert from 'node:assert/strict';
import { test } from 'node:test';
import { columnEvidence, isOurColumn, titleNamesAnotherGovernment } from './column-evidence.ts';
import { forwardTarget, readPage } from './read-page.ts';

const base = 'http://www.demo-xian.gov.cn/';
const labels = (html: string) => readPage(html, base).links.map((link) => [link.url.pathname, link.label]);

test('reads navigation a script writes from JSON, which has no anchor in the HTML', () => {
  const html = `<div id="nav"></div><script>var navData = [{"name":"首页","url":"/"},{"name":"政务公开","url":"/zwgk/"}];
    for (var i = 0; i < navData.length; i++) { html += '<a href="' + navData[i].url + '">' + navData[i].name + '</a>'; }</script>`;
  assert.deepEqual(labels(html), [
    ['/', '首页'],
    ['/zwgk/', '政务公开'],
  ]);
});

test("reads the records of a Hanweb column's inline datastore", () => {
  const html = `<script type="text/xml"><datastore><recordset>
    <record><![CDATA[<li><a href="/art/2023/1/18/art_200_31.html" title="示例县2022年政府信息公开工作年度报告">示例县2022年政府信息公开工作年…</a></li>]]></record>
    </recordset></datastore></script>`;
  assert.deepEqual(labels(html), [['/art/2023/1/18/art_200_31.html', '示例县2022年政府信息公开工作年度报告']]);
});

test('reads frames and onclick targets as links', () => {
  const html = `<iframe src="http://xxgk.demo-xian.gov.cn/" title="政府信息公开"></iframe><span onclick="window.open('/zfxxgk/zfxxgknb/')">政府信息公开年报</span>`;
  assert.deepEqual(labels(html), [
    ['/', '政府信息公开'],
    ['/zfxxgk/zfxxgknb/', '政府信息公开年报'],
  ]);
});

test('names a page by its SiteName meta, title parts and breadcrumb, and spots soft 404s', () => {
  const page = readPage(
    `<html><head><meta name="SiteName" content="示例县人民政府"><title>财政局_政府信息公开年报_示例县人民政府</title></head>
    <body><div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zfxxgk/">政府信息公开</a> &gt; 政府信息公开年报</div><a href="/">首页</a></body></html>`,
    base,
  );
  assert.equal(page.siteName, '示例县人民政府');
  assert.deepEqual(page.ownNames, ['财政局', '政府信息公开年报', '示例县人民政府', '政府信息公开年报']);
  assert.equal(page.softNotFound, false);
  assert.equal(
    readPage('<html><title>提示</title><body>对不起，您访问的页面不存在！<a href="/">返回首页</a></body></html>', base).softNotFound,
    true,
  );
});

test('finds where a forwarding page sends the browser', () => {
  assert.equal(
    forwardTarget('<meta http-equiv="refresh" content="0; url=/web/index.html">', base)?.href,
    'http://www.demo-xian.gov.cn/web/index.html',
  );
  assert.equal(forwardTarget('<script>window.location.href="http://www.new.gov.cn/";</script>', base)?.href, 'http://www.new.gov.cn/');
  assert.equal(forwardTarget('<script>location.reload();</script>', base), null);
});

const listPage = (titles: string[], extra = '', ownName = '政府信息公开年报') =>
  readPage(
    `<html><head><title>${ownName}_示例县人民政府</title></head><body>${extra}<ul>${titles.map((title, index) => `<li><a href="./202301/t20230118_${index + 100}.html">${title}</a></li>`).join('')}</ul></body></html>`,
    base,
  );

test("a column of this government's reports is ours; one of another government's is not", () => {
  const ours = columnEvidence(listPage(['示例县2022年政府信息公开工作年度报告', '示例县财政局2022年政府信息公开工作年度报告']), '示例县');
  assert.equal(ours.ours, 2);
  assert.equal(isOurColumn(ours, false), true);
  const theirs = columnEvidence(listPage(['样例县2022年政府信息公开工作年度报告', '样例县2021年政府信息公开工作年度报告']), '示例县');
  assert.equal(theirs.others, 2);
  assert.equal(isOurColumn(theirs, false), false);
});

test('a news list with one report among many articles is no column', () => {
  const news = Array.from({ length: 9 }, (_, index) => `示例县召开第${index + 1}次常务会议`);
  const evidence = columnEvidence(listPage(['示例县2023年政府信息公开工作年度报告发布', ...news], '', '新闻动态'), '示例县');
  assert.equal(evidence.reportTitles.length, 1);
  assert.equal(isOurColumn(evidence, false), false);
});

test("on another government's site only a column whose reports name us more than anyone counts", () => {
  const mixed = columnEvidence(
    listPage(['兴仁市2022年政府信息公开工作年度报告', '安龙县2022年政府信息公开工作年度报告', '贞丰县2022年政府信息公开工作年度报告']),
    '兴仁市',
  );
  assert.equal(isOurColumn(mixed, true), false);
  const ours = columnEvidence(listPage(['兴仁市2022年政府信息公开工作年度报告']), '兴仁市');
  assert.equal(isOurColumn(ours, true), true);
  assert.equal(titleNamesAnotherGovernment('2022年政府信息公开工作年度报告', '兴仁市'), false);
  assert.equal(titleNamesAnotherGovernment('河东乡2022年政府信息公开工作年度报告', '兴仁市'), false);
});
