import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnEvidence } from './column-evidence.ts';
import { governmentNameForms } from './site-identity.ts';
import { addressShape, isSubColumnIndex, listsReportsOf, trustsSibling, type IndexTally } from './sub-column-index.ts';

const evidence = (reportTitles: string[], more: Partial<ColumnEvidence> = {}): ColumnEvidence => ({
  reportTitles,
  ours: reportTitles.length,
  others: 0,
  articleLinks: reportTitles.length,
  namesColumn: false,
  ...more,
});
const forms = governmentNameForms('示例县');

test('siblings of one index share an address shape; a page elsewhere on the site does not', () => {
  const origin = 'http://www.demo-xian.gov.cn';
  assert.equal(addressShape(`${origin}/zfxxgk/zfxxgknb/bm/czj/`), addressShape(`${origin}/zfxxgk/zfxxgknb/bm/jyj/`));
  assert.equal(addressShape(`${origin}/zfxxgk/zfxxgknb/bm/czj/index.html`), addressShape(`${origin}/zfxxgk/zfxxgknb/bm/jyj/`));
  assert.equal(addressShape(`${origin}/col/col12/index.html`), addressShape(`${origin}/col/col3456/index.html`));
  assert.equal(addressShape(`${origin}/c17396/`), addressShape(`${origin}/c17400/`));
  assert.equal(addressShape(`${origin}/zfxxgknb/bm/czj.htm`), addressShape(`${origin}/zfxxgknb/bm/jyj.htm`));
  assert.notEqual(addressShape(`${origin}/zfxxgk/zfxxgknb/bm/czj/`), addressShape(`${origin}/xwzx/`));
  assert.notEqual(addressShape(`${origin}/zfxxgk/zfxxgknb/bm/czj/`), addressShape(`${origin}/zfxxgk/zfxxgknb/bm/czj/202301/`));
  assert.notEqual(addressShape(`${origin}/c17396/`), addressShape(`${origin}/xwzx/`));
  assert.notEqual(addressShape(`${origin}/col/col12/index.html`), addressShape('http://www.other-xian.gov.cn/col/col12/index.html'));
});

test("a page reached by a 部门 / 乡镇 group link that is no column is an index; a body's page or another government's column is not", () => {
  assert.equal(isSubColumnIndex(evidence([]), { kind: 'sub-column', scope: 'department' }), true);
  assert.equal(isSubColumnIndex(evidence([]), { kind: 'column', scope: 'township' }), true);
  assert.equal(isSubColumnIndex(evidence([], { namesColumn: true }), { kind: 'column', scope: 'government' }), true);
  assert.equal(isSubColumnIndex(evidence([]), { kind: 'column', scope: 'government' }), false);
  assert.equal(isSubColumnIndex(evidence([]), { kind: 'sub-column', scope: 'department', body: '财政局' }), false);
  assert.equal(isSubColumnIndex(evidence([]), { kind: 'hub', scope: 'government' }), false);
  const theirs = evidence(['样例县2022年政府信息公开工作年度报告'], { ours: 0, others: 1, namesColumn: true });
  assert.equal(isSubColumnIndex(theirs, { kind: 'sub-column', scope: 'department' }), false);
});

test("a body's page counts only when it lists reports of that body, or of a body of its kind", () => {
  assert.equal(listsReportsOf(evidence(['示例县财政局2022年政府信息公开工作年度报告']), 'department', '财政局', forms), true);
  assert.equal(listsReportsOf(evidence(['示例县发展和改革局2022年政府信息公开工作年度报告']), 'department', '发改局', forms), true);
  assert.equal(listsReportsOf(evidence(['示例县城关镇人民政府2022年政府信息公开工作年度报告']), 'township', '城关镇', forms), true);
  assert.equal(listsReportsOf(evidence(['示例县2022年政府信息公开工作年度报告']), 'department', '财政局', forms), false);
  assert.equal(listsReportsOf(evidence(['示例县城关镇人民政府2022年政府信息公开工作年度报告']), 'department', '财政局', forms), false);
  assert.equal(listsReportsOf(evidence([]), 'department', '财政局', forms), false);
});

test('unfetched siblings are trusted after two of their shape were verified, and not when one in five failed', () => {
  const origin = 'http://www.demo-xian.gov.cn';
  const shape = addressShape(`${origin}/zfxxgknb/bm/czj/`);
  const tally = (verified: number, failed: number): IndexTally => ({ verified: new Map([[shape, verified]]), failed });
  assert.equal(trustsSibling(tally(2, 0), `${origin}/zfxxgknb/bm/sjj/`), true);
  assert.equal(trustsSibling(tally(1, 0), `${origin}/zfxxgknb/bm/sjj/`), false);
  assert.equal(trustsSibling(tally(4, 1), `${origin}/zfxxgknb/bm/sjj/`), true);
  assert.equal(trustsSibling(tally(3, 1), `${origin}/zfxxgknb/bm/sjj/`), false);
  assert.equal(trustsSibling(tally(5, 0), `${origin}/xwzx/`), false);
  assert.equal(trustsSibling(undefined, `${origin}/zfxxgknb/bm/sjj/`), false);
});
