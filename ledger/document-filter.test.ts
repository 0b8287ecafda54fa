import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DocumentFilterError, matchesFilter, parseKinds, parseYears, yearInTitle } from './document-filter.ts';

test('the year a title reports on, in Arabic or Chinese numerals', () => {
  assert.equal(yearInTitle('淮安市2023年政府信息公开工作年度报告'), 2023);
  assert.equal(yearInTitle('二〇二一年政府信息公开工作年度报告'), 2021);
  assert.equal(yearInTitle('政府信息公开工作年度报告（２０１９年）'), 2019);
  assert.equal(yearInTitle('政府信息公开工作年度报告'), null);
});

test('--years and --types parse, and bad values are refused', () => {
  assert.deepEqual(parseYears('2019-2024'), { from: 2019, to: 2024 });
  assert.deepEqual(parseYears('2021'), { from: 2021, to: 2021 });
  assert.throws(() => parseYears('2024-2019'), DocumentFilterError);
  assert.throws(() => parseYears('last year'), DocumentFilterError);
  assert.deepEqual(parseKinds('pdf, HTML'), ['pdf', 'html']);
  assert.throws(() => parseKinds('pdf,exe'), DocumentFilterError);
});

test('a backfill filter keeps documents by year in the title and by kind', () => {
  const filter = { years: { from: 2019, to: 2021 }, kinds: parseKinds('pdf,html') };
  const doc = (title: string, kindHint: 'pdf' | 'html' | 'docx') => ({ title, kindHint });
  assert.equal(matchesFilter(doc('2020年政府信息公开工作年度报告', 'pdf'), filter), true);
  assert.equal(matchesFilter(doc('2023年政府信息公开工作年度报告', 'pdf'), filter), false);
  assert.equal(matchesFilter(doc('2020年政府信息公开工作年度报告', 'docx'), filter), false);
  assert.equal(matchesFilter(doc('政府信息公开工作年度报告', 'html'), filter), true, 'no year in the title: kept');
  assert.equal(matchesFilter(doc('2023年政府信息公开工作年度报告', 'docx'), undefined), true);
});
