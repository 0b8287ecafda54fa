import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { detectChallenge } from '../shared/anti-bot.ts';
import { decodeHtml } from '../shared/charset.ts';
import { attachmentKind, isReportTitle, mayBeTruncatedReportTitle, normalizeDate, stripExtension } from './links.ts';

test('tells reports from guides, notices and website reports', () => {
  assert.ok(isReportTitle('示例县2021年政府信息公开工作年度报告'));
  assert.ok(isReportTitle('下湿壕镇政府2022年信息公开工作年度报告'));
  assert.ok(isReportTitle('示例县2022年政务公开年报'));
  assert.ok(!isReportTitle('示例县人民政府政府信息公开指南'));
  assert.ok(!isReportTitle('关于做好2021年度政府信息公开工作年度报告编制公布工作的通知'));
  assert.ok(!isReportTitle('示例县2021年政府网站工作年度报表'));
  assert.ok(!isReportTitle('示例县2021年政府工作报告'));
  assert.ok(mayBeTruncatedReportTitle('示例县人民政府2022年政府信息公…'));
  assert.ok(!mayBeTruncatedReportTitle('示例县人民政府2022年政府信息公开工作年度报告'));
});

test('names attachment kinds from the path, a filename parameter or the link text', () => {
  assert.equal(attachmentKind(new URL('http://a.test/nb/202201/P020220120512345679012.pdf'), ''), 'pdf');
  assert.equal(attachmentKind(new URL('http://a.test/module/download/downfile.jsp?classid=0&filename=3f9c.docx'), ''), 'docx');
  assert.equal(
    attachmentKind(new URL('http://a.test/system/_content/download.jsp?urltype=news.DownloadAttachUrl&wbfileid=7'), '2020年年报.wps'),
    'wps',
  );
  assert.equal(attachmentKind(new URL('http://a.test/attach/0/x.XLSX'), ''), 'xls');
  assert.equal(attachmentKind(new URL('http://a.test/nb/t20220120_1.html'), '年报.pdf'), null);
});

test('knows scanned pages posted as image files, not gif icons', () => {
  assert.equal(attachmentKind(new URL('http://a.test/nb/202201/W020220120_1.JPG'), ''), 'image');
  assert.equal(attachmentKind(new URL('http://a.test/nb/p2.png'), ''), 'image');
  assert.equal(attachmentKind(new URL('http://a.test/nb/scan.tiff'), ''), 'image');
  assert.equal(attachmentKind(new URL('http://a.test/module/download/downfile.jsp?filename=p3.jpeg'), ''), 'image');
  assert.equal(attachmentKind(new URL('http://a.test/images/print.gif'), ''), null);
  assert.equal(stripExtension('2022年年报第1页.jpg'), '2022年年报第1页');
});

test('normalizes the date formats list pages show', () => {
  assert.equal(normalizeDate('2022-01-11'), '2022-01-11');
  assert.equal(normalizeDate('[2022/1/9]'), '2022-01-09');
  assert.equal(normalizeDate('发布时间：2023年3月5日'), '2023-03-05');
  assert.equal(normalizeDate('2022.13.01'), null);
  assert.equal(normalizeDate('无日期'), null);
});

test('decodes GBK by header, by meta alone, by an XML declaration, and when mislabelled UTF-8', () => {
  const text = '<html><head><meta charset="gb2312"></head><body>镕堃乡政府信息公开年报</body></html>';
  const gbk = iconv.encode(text, 'gbk');
  assert.equal(decodeHtml(gbk, 'text/html').charset, 'gb18030');
  assert.equal(decodeHtml(gbk, 'text/html').text, text);
  assert.equal(decodeHtml(gbk, 'text/html; charset=GBK').text, text);
  assert.equal(decodeHtml(gbk, 'text/html; charset=utf-8').text, text);
  const xml = '<?xml version="1.0" encoding="GBK"?><datastore><record>镕堃乡年报</record></datastore>';
  assert.equal(decodeHtml(iconv.encode(xml, 'gbk'), 'text/xml').text, xml);
  const utf8 = Buffer.from('<p>政府信息公开年报</p>');
  assert.equal(decodeHtml(utf8, null).charset, 'utf-8');
  assert.equal(
    decodeHtml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]), 'text/html; charset=gbk').text,
    '<p>政府信息公开年报</p>',
  );
});

test('recognises challenge pages but not report pages', () => {
  assert.match(detectChallenge(412, '<script>$_ts=window["$_ts"];</script>') ?? '', /瑞数/);
  assert.match(detectChallenge(521, '<script>document.cookie="__jsl_clearance=1"</script>') ?? '', /加速乐/);
  assert.match(detectChallenge(200, '<body>请开启JavaScript并刷新该页</body>') ?? '', /WZWS/);
  assert.equal(detectChallenge(200, '<h1>示例县2021年政府信息公开工作年度报告</h1><a href="./P0.pdf">附件</a>'), null);
  assert.equal(detectChallenge(200, `<p>${'政府信息公开'.repeat(10000)} $_ts=1</p>`), null);
});
