import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ancestorNames,
  disclosureHostGuesses,
  governmentNameForms,
  isOwnSiteHost,
  namesAnotherGovernment,
  namesGovernment,
} from './site-identity.ts';

test("the portal's own hosts are its www. twin and its sub-domains, not its siblings or its parent", () => {
  assert.equal(isOwnSiteHost('hnyx.gov.cn', 'www.hnyx.gov.cn'), true);
  assert.equal(isOwnSiteHost('xxgk.hnyx.gov.cn', 'www.hnyx.gov.cn'), true);
  assert.equal(isOwnSiteHost('czj.km.gov.cn', 'www.km.gov.cn'), true);
  assert.equal(isOwnSiteHost('www.km.gov.cn', 'xd.km.gov.cn'), false);
  assert.equal(isOwnSiteHost('lq.km.gov.cn', 'xd.km.gov.cn'), false);
  assert.equal(isOwnSiteHost('www.gov.cn', 'www.hnyx.gov.cn'), false);
  assert.equal(isOwnSiteHost('127.0.0.1:8001', '127.0.0.1:8001'), true);
  assert.equal(isOwnSiteHost('127.0.0.1:8002', '127.0.0.1:8001'), false);
});

test('guesses the 信息公开 sub-domain from the host name, never for an IP address', () => {
  assert.deepEqual(disclosureHostGuesses('www.huichang.gov.cn'), [
    'xxgk.huichang.gov.cn',
    'zwgk.huichang.gov.cn',
    'zfxxgk.huichang.gov.cn',
    'gk.huichang.gov.cn',
  ]);
  assert.deepEqual(disclosureHostGuesses('sxgp.gov.cn').slice(0, 1), ['xxgk.sxgp.gov.cn']);
  assert.deepEqual(disclosureHostGuesses('127.0.0.1:8001'), []);
});

test('a government is named by its full name or its name without the division word', () => {
  assert.deepEqual(governmentNameForms('子长市'), ['子长市', '子长']);
  assert.deepEqual(governmentNameForms('淮阴区'), ['淮阴区', '淮阴']);
  assert.deepEqual(governmentNameForms('东区'), ['东区']);
  assert.deepEqual(governmentNameForms('宽城满族自治县'), ['宽城满族自治县', '宽城满族']);
  assert.equal(namesGovernment('子长县人民政府', '子长市'), true);
  assert.equal(namesGovernment('淮安市淮阴区人民政府', '淮阴区'), true);
  assert.equal(namesGovernment('清江浦区人民政府', '淮阴区'), false);
});

test("a page naming another government's site is told apart from our pages and from column titles", () => {
  assert.equal(namesAnotherGovernment('样例市人民政府', '示例县'), true);
  assert.equal(namesAnotherGovernment('样例市示例县人民政府', '示例县'), false);
  assert.equal(namesAnotherGovernment('昆明市财政局', '昆明市'), false);
  assert.equal(namesAnotherGovernment('寻甸回族彝族自治县人民政府', '昆明市'), true);
  assert.equal(namesAnotherGovernment('政府信息公开年报', '示例县'), false);
  assert.equal(namesAnotherGovernment(null, '示例县'), false);
});

test("a county's short form inside its prefecture's name does not name the county (邵阳市 is not 邵阳县)", () => {
  const ancestors = ancestorNames('湖南省/邵阳市/邵阳县', '邵阳县');
  assert.deepEqual(ancestors, ['湖南省', '邵阳市']);
  assert.equal(namesGovernment('邵阳市人民政府', '邵阳县'), true); // without its ancestors, the short form matches
  assert.equal(namesGovernment('邵阳市人民政府', '邵阳县', ancestors), false);
  assert.equal(namesGovernment('邵阳市财政局2023年政府信息公开工作年度报告', '邵阳县', ancestors), false);
  assert.equal(namesGovernment('邵阳市邵阳县财政局2023年政府信息公开工作年度报告', '邵阳县', ancestors), true);
  assert.equal(namesGovernment('邵阳县人民政府', '邵阳县', ancestors), true);
  assert.equal(namesGovernment('子长县人民政府', '子长市', ancestorNames('陕西省/延安市/子长市', '子长市')), true);
  assert.equal(namesAnotherGovernment('东营市人民政府', '东营区', ancestorNames('山东省/东营市/东营区', '东营区')), true);
  assert.deepEqual(ancestorNames('江苏省', '江苏省'), []);
});
