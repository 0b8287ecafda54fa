import assert from 'node:assert/strict';
import { test } from 'node:test';
import { anchorLabel, bodyName, classifyLink, reportScope, subColumnRole, type LinkRole } from './link-roles.ts';

const site = 'http://www.demo-xian.gov.cn';
const folder = `${site}/zwgk/zfxxgk/zfxxgknb/`;
const article = `${site}/xwzx/gzdt/202403/t20240301_123456.html`;

test('names of the 年报 column score as THE column, the fullest names highest', () => {
  const cases: [string, number][] = [
    ['政府信息公开年报', 100],
    ['政府信息公开年度报告', 100],
    ['政府信息公开工作年度报告', 100],
    ['信息公开年报', 100],
    ['政务公开年报', 90],
    ['公开年报', 90],
    ['年度报告', 70],
    ['年报', 70],
  ];
  for (const [label, score] of cases) {
    assert.deepEqual(classifyLink(label, new URL(folder)), { role: 'column', score, scope: 'government' }, label);
  }
});

test('news that merely mentions the report, look-alike columns and work plans are no columns', () => {
  const none: LinkRole = { role: 'none' };
  assert.deepEqual(classifyLink('关于做好2023年政府信息公开工作年度报告编制和发布工作的通知', new URL(article)), none);
  assert.deepEqual(classifyLink('政府网站工作年度报表', new URL(`${site}/zfwzgzndbb/`)), none);
  assert.deepEqual(classifyLink('政务公开工作要点', new URL(`${site}/zwgkgzyd/`)), none);
  assert.deepEqual(classifyLink('政府工作报告', new URL(`${site}/zfgzbg/`)), none);
  assert.deepEqual(classifyLink('政府信息公开指南', new URL(`${site}/zfxxgkzn/`)), none);
});

test('a title with a year is one report: on an article address, and even on a folder-like one', () => {
  assert.deepEqual(classifyLink('示例县2022年政府信息公开工作年度报告', new URL(`${folder}202301/t20230118_1234567.html`)), {
    role: 'report',
  });
  assert.deepEqual(classifyLink('示例县2022年政府信息公开工作年度报告', new URL(`${site}/art/2023/1/18/art_28956_3301122.html`)), {
    role: 'report',
  });
  assert.deepEqual(classifyLink('2022年', new URL(`${folder}2022n/`)), { role: 'year', year: 2022 });
  assert.deepEqual(classifyLink('2021年政府信息公开年报', new URL(`${folder}2021n/`)), { role: 'year', year: 2021 });
});

test('an article address is never a column, whatever its words', () => {
  assert.deepEqual(classifyLink('政府信息公开年报', new URL(article)), { role: 'none' });
});

test('scope words make department, township and other-government columns', () => {
  assert.deepEqual(classifyLink('部门信息公开年报', new URL(`${folder}bm/`)), { role: 'column', score: 90, scope: 'department' });
  assert.deepEqual(classifyLink('县政府部门年报', new URL(`${folder}bm/`)), { role: 'column', score: 90, scope: 'department' });
  assert.deepEqual(classifyLink('乡镇（街道）年报', new URL(`${folder}xzjd/`)), { role: 'column', score: 90, scope: 'township' });
  assert.deepEqual(classifyLink('财政局政府信息公开年报', new URL(`${folder}czj/`)), {
    role: 'column',
    score: 85,
    scope: 'department',
    body: '财政局',
  });
  assert.deepEqual(classifyLink('县区政府信息公开年度报告', new URL(`${site}/xqnb/`)), { role: 'other-governments-column' });
  assert.deepEqual(classifyLink('样例县政府信息公开年报', new URL(`${site}/ylx/`)), {
    role: 'column',
    score: 80,
    scope: 'government',
    body: '样例县',
  });
});

test('政府信息公开 and 政务公开 links are hubs on the way to the column', () => {
  assert.deepEqual(classifyLink('政府信息公开', new URL(`${site}/zfxxgk/`)), { role: 'hub', score: 90 });
  assert.deepEqual(classifyLink('信息公开目录', new URL(`${site}/xxgkml/`)), { role: 'hub', score: 85 });
  assert.deepEqual(classifyLink('政务公开', new URL(`${site}/zwgk/`)), { role: 'hub', score: 80 });
  assert.deepEqual(classifyLink('政府信息公开平台', new URL('http://xxgk.demo-xian.gov.cn/')), { role: 'hub', score: 90 });
  assert.deepEqual(classifyLink('', new URL(`${site}/zwgk/`)), { role: 'hub', score: 30 });
  assert.deepEqual(classifyLink('更多', new URL(folder)), { role: 'column', score: 50, scope: 'government' });
});

test('sub-columns of a 年报 column are named by their body or by a scope group', () => {
  const url = new URL(`${folder}czj/`);
  assert.deepEqual(subColumnRole('财政局', url), { scope: 'department', body: '财政局' });
  assert.deepEqual(subColumnRole('人力资源和社会保障局', url), { scope: 'department', body: '人力资源和社会保障局' });
  assert.deepEqual(subColumnRole('河东乡', url), { scope: 'township', body: '河东乡' });
  assert.deepEqual(subColumnRole('新华街道', url), { scope: 'township', body: '新华街道' });
  assert.deepEqual(subColumnRole('城关镇人民政府', url), { scope: 'township', body: '城关镇' });
  assert.equal(subColumnRole('样例县人民政府', url), null);
  assert.deepEqual(subColumnRole('城关镇政府信息公开年报', url), { scope: 'township', body: '城关镇' });
  assert.deepEqual(subColumnRole('部门', url), { scope: 'department' });
  assert.deepEqual(subColumnRole('乡镇（街道）', url), { scope: 'township' });
  assert.equal(subColumnRole('样例县', url), null);
  assert.equal(subColumnRole('2022年', url), null);
  assert.equal(subColumnRole('下一页', url), null);
  assert.equal(subColumnRole('财政局', new URL(`${folder}czj/202301/t20230116_2234001.html`)), null);
});

test('the title attribute wins over a cut or shorter anchor text', () => {
  assert.equal(
    anchorLabel('示例县2022年政府信息公开工作年…', '示例县2022年政府信息公开工作年度报告'),
    '示例县2022年政府信息公开工作年度报告',
  );
  assert.equal(anchorLabel('财政局', '财政局政府信息公开年报'), '财政局政府信息公开年报');
  assert.equal(anchorLabel(' 政府信息公开 ', undefined), '政府信息公开');
  assert.equal(bodyName('财政局政府信息公开工作年度报告'), '财政局');
});

test("a report's title tells whose column its address gives", () => {
  const forms = ['示例县', '示例'];
  assert.deepEqual(reportScope('示例县财政局2022年政府信息公开工作年度报告', forms), { scope: 'department', body: '财政局' });
  assert.deepEqual(reportScope('2022年示例县教育局政府信息公开工作年度报告', forms), { scope: 'department', body: '教育局' });
  assert.deepEqual(reportScope('示例县河东乡人民政府2022年政府信息公开工作年度报告', forms), { scope: 'township', body: '河东乡' });
  assert.deepEqual(reportScope('示例县人民政府2022年政府信息公开工作年度报告', forms), { scope: 'government' });
  assert.deepEqual(reportScope('2022年示例县政府信息公开工作年度报告', forms), { scope: 'government' });
});
