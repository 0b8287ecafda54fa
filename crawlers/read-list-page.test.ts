import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cheerio from 'cheerio';
import { readTrsPager, trsPageFile } from './platforms/trs.ts';
import { readListPage } from './read-list-page.ts';

function listPage(url: string, text: string, extra: { method?: 'GET' | 'POST'; payload?: string } = {}) {
  return readListPage({
    url,
    method: extra.method ?? 'GET',
    ...(extra.payload ? { payload: extra.payload } : {}),
    text,
    $: cheerio.load(text),
  });
}

test('reads the old TRS pager with variables and numbers pages from index_1', () => {
  const html = '<script>var countPage = 3; var currentPage = 0;\ncreatePageHTML(countPage, currentPage, "index", "shtml");</script>';
  assert.deepEqual(readTrsPager(html), { count: 3, current: 0, prefix: 'index', suffix: 'shtml' });
  const { nextPages } = listPage('http://a.test/nb/index.shtml', html);
  assert.deepEqual(
    nextPages.map((page) => page.url),
    ['http://a.test/nb/index_1.shtml', 'http://a.test/nb/index_2.shtml'],
  );
});

test('reads the new TRS pager (current 1) and numbers pages from index_2, from a folder URL', () => {
  const html = "<div id='page_div'></div><script>createPageHTML('page_div', 3, 1, 'xlist', 'html', 37);</script>";
  const { nextPages } = listPage('http://a.test/nb/', html);
  assert.deepEqual(
    nextPages.map((page) => page.url),
    ['http://a.test/nb/xlist_2.html', 'http://a.test/nb/xlist_3.html'],
  );
});

test('adds no pages from a later TRS page, and ignores a detail page article pager', () => {
  const later = '<script>var countPage = 3; var currentPage = 1; createPageHTML(countPage, currentPage, "index", "html");</script>';
  assert.deepEqual(listPage('http://a.test/nb/index_1.html', later).nextPages, []);
  assert.equal(readTrsPager('<script>var countPage = 2; createPageHTML(countPage, 0, "t20220120_1134560", "html");</script>'), null);
  assert.equal(trsPageFile({ count: 5, current: 0, prefix: 'index', suffix: 'html' }, 0, 0), 'index.html');
});

test('reads Hanweb inline records and asks dataproxy.jsp for the records after them', () => {
  const html = `<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=28956&unitid=88231&webname=%E7%A4%BA&permissiontype=0"></a>]]></nextgroup>
<recordset><record><![CDATA[<li class="clearfix"><a href="/art/2023/1/18/art_28956_1.html" title="示例县2022年政府信息公开工作年度报告">示例县2022年…</a><span>2023-01-18</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2023/5/1/art_28956_2.html" title="示例县政府信息公开指南">指南</a><span>2023-05-01</span></li>]]></record></recordset></datastore></script>
<script>jpageform_88231 = {col:1, appid:1, webid:12, columnid:28956, unitid:88231, perpage:15, groupsize:3};</script>`;
  const { items, nextPages } = listPage('http://h.test/col/col28956/index.html', html);
  assert.deepEqual(items, [
    { url: 'http://h.test/art/2023/1/18/art_28956_1.html', title: '示例县2022年政府信息公开工作年度报告', publishedAt: '2023-01-18' },
  ]);
  assert.equal(nextPages.length, 1);
  const next = nextPages[0]!;
  assert.equal(next.method, 'POST');
  assert.equal(next.url, 'http://h.test/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=47&perpage=15');
  const form = new URLSearchParams(next.payload);
  assert.deepEqual(
    [form.get('columnid'), form.get('unitid'), form.get('webid'), form.get('col'), form.get('page')],
    ['28956', '88231', '12', '1', null],
  );
});

test('asks for the next dataproxy group only while totalrecord is not reached', () => {
  const answer = (total: number) =>
    `<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>${total}</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2020/3/30/art_1_9.html" title="示例县2019年政府信息公开工作年度报告">…</a><span>2020-03-30</span></li>]]></record></recordset></datastore>`;
  const url = 'http://h.test/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=47&perpage=15';
  const more = listPage(url, answer(60), { method: 'POST', payload: 'columnid=1' });
  assert.equal(more.items.length, 1);
  assert.deepEqual(
    more.nextPages.map((page) => [page.url, page.payload]),
    [['http://h.test/module/web/jpage/dataproxy.jsp?startrecord=48&endrecord=92&perpage=15', 'columnid=1']],
  );
  assert.deepEqual(listPage(url, answer(47), { method: 'POST', payload: 'columnid=1' }).nextPages, []);
});

test('follows plain next-page links and 年报 sub-columns, not reports or other columns', () => {
  const html = `<a href="list_2.html">下一页</a><a href="../bmnb/index.html">部门政府信息公开年报</a><a href="../2021n/">2021年</a>
    <a href="../zfxxgkzn/index.html">政府信息公开指南</a><a href="../fdzdgknr/">法定主动公开内容</a>
    <li><a href="./t1.html">乙县2021年政府信息公开工作年度报告</a> [2022/1/9]</li>`;
  const { items, nextPages } = listPage('http://a.test/xxgk/nb/index.html', html);
  assert.deepEqual(
    nextPages.map((page) => page.url),
    ['http://a.test/xxgk/nb/list_2.html', 'http://a.test/xxgk/bmnb/index.html', 'http://a.test/xxgk/2021n/'],
  );
  assert.deepEqual(items, [
    { url: 'http://a.test/xxgk/nb/t1.html', title: '乙县2021年政府信息公开工作年度报告', publishedAt: '2022-01-09' },
  ]);
});
