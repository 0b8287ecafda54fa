import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countUnmappedGlyphs, normalizePdfText } from './normalize.ts';
import { buildLines, type PositionedText } from './pdf-lines.ts';

function item(text: string, x: number, baseline: number, width = text.length * 10, fontSize = 10): PositionedText {
  return { text, x, baseline, width, fontSize };
}

describe('buildLines', () => {
  it('groups items by baseline, orders them by x and tabs wide gaps', () => {
    const lines = buildLines([
      item('12', 300, 101, 10),
      item('一、本年新收政府信息公开申请数量', 50, 100, 160),
      item('3', 260, 100.5, 5),
      item('下一行', 50, 130),
    ]);
    assert.deepEqual(
      lines.map((line) => line.text),
      ['一、本年新收政府信息公开申请数量\t3\t12', '下一行'],
    );
    assert.deepEqual(lines[0]!.box, { x: 50, y: 90, width: 260, height: 10 });
  });

  it('joins touching items, spaces narrow gaps and ignores blank items', () => {
    const lines = buildLines([item('2024', 0, 50, 20), item(' ', 20, 50, 40), item('年', 23, 50, 10), item('报告', 33, 50, 20)]);
    assert.deepEqual(
      lines.map((line) => line.text),
      ['2024 年报告'],
    );
  });
});

describe('normalizePdfText', () => {
  it('folds Kangxi radicals, radical-supplement forms and full-width forms', () => {
    assert.equal(normalizePdfText('⽣⽇⻓⻔⻚１２'), '生日长门页12');
  });

  it('drops glyphs without a Unicode mapping and counts them', () => {
    assert.equal(normalizePdfText('\u0000\u0000 - 年报\ufffd'), ' - 年报');
    assert.equal(countUnmappedGlyphs('\u0000\u0000 - 年报\ufffd'), 3);
  });

  it('counts private-use characters and (cid:NNN) of CID fonts without ToUnicode as unmapped', () => {
    assert.equal(countUnmappedGlyphs('\ue001\ue002(cid:123)年'), 3);
    assert.equal(normalizePdfText('\ue001(cid:7)年报'), '年报');
  });
});
