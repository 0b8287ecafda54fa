import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findRegionsByName,
  fullRegionName,
  getRegion,
  isFunctionalZone,
  listRegions,
  readRegionChain,
  regionPath,
  shortRegionName,
} from './regions.ts';

describe('region table', () => {
  it('has unique codes, every parent present and one level below its parent', () => {
    const regions = listRegions();
    assert.ok(regions.length > 3000, `only ${regions.length} regions`);
    const codes = new Set(regions.map((region) => region.code));
    assert.equal(codes.size, regions.length);
    for (const region of regions) {
      assert.match(region.code, /^\d{6}$/);
      if (region.level === 'province') {
        assert.equal(region.parentCode, null);
        continue;
      }
      const parent = getRegion(region.parentCode ?? '');
      assert.ok(parent, `${region.code} ${region.name}: no parent ${region.parentCode}`);
      assert.ok(region.code.startsWith(parent.code.replace(/(00)+$/, '')), `${region.code} not under ${parent.code}`);
      assert.notEqual(parent.level, region.level);
    }
  });

  it('hangs municipal districts and 省直辖县 directly under the province', () => {
    assert.deepEqual(
      regionPath(getRegion('310115')!).map((r) => r.name),
      ['上海市', '浦东新区'],
    );
    assert.equal(getRegion('429004')?.parentCode, '420000');
    assert.equal(fullRegionName(getRegion('620721')!), '甘肃省张掖市肃南裕固族自治县');
  });
});

describe('shortRegionName', () => {
  it('drops the suffix and the minority names of autonomous regions', () => {
    assert.equal(shortRegionName('肃南裕固族自治县'), '肃南');
    assert.equal(shortRegionName('恩施土家族苗族自治州'), '恩施');
    assert.equal(shortRegionName('新疆维吾尔自治区'), '新疆');
    assert.equal(shortRegionName('宁夏回族自治区'), '宁夏');
    assert.equal(shortRegionName('淮安市'), '淮安');
  });

  it('gives nothing when too little would be left', () => {
    assert.equal(shortRegionName('沙县'), null);
    assert.equal(shortRegionName('郊区'), null);
  });
});

describe('findRegionsByName and readRegionChain', () => {
  it('finds every region of a repeated name', () => {
    assert.deepEqual(
      findRegionsByName('城关区')
        .map((r) => r.code)
        .sort(),
      ['540102', '620102'],
    );
    assert.deepEqual(
      findRegionsByName('肃南县').map((r) => r.code),
      ['620721'],
    );
  });

  it('narrows a repeated name by the parent written before it', () => {
    const chain = readRegionChain('兰州市城关区人民政府办公室');
    assert.deepEqual(chain?.names, ['兰州市', '城关区']);
    assert.deepEqual(
      chain?.candidates.map((r) => r.code),
      ['620102'],
    );
    assert.equal(chain?.length, 6);
  });

  it('reads short province names and stops at the body name', () => {
    const chain = readRegionChain('宁夏固原市隆德县人民政府');
    assert.deepEqual(
      chain?.candidates.map((r) => r.code),
      ['640423'],
    );
    assert.equal('宁夏固原市隆德县人民政府'.slice(chain?.length), '人民政府');
    assert.equal(readRegionChain('县财政局'), null);
  });

  it('prefers a full name over another region sharing its short form', () => {
    assert.deepEqual(
      readRegionChain('吉林市人民政府')?.candidates.map((r) => r.code),
      ['220200'],
    );
  });
});

describe('isFunctionalZone', () => {
  it('tells development zones and special zones from districts named 新区', () => {
    assert.equal(isFunctionalZone(getRegion('320871')!), true);
    assert.equal(isFunctionalZone(findRegionsByName('平潭综合实验区')[0]!), true);
    assert.equal(isFunctionalZone(getRegion('310115')!), false);
    assert.equal(isFunctionalZone(getRegion('350128')!), false);
  });
});

describe('former names of 2019', () => {
  it('keeps a county renamed since under its former code, listed once and marked former', () => {
    const haimen = findRegionsByName('海门市');
    assert.deepEqual(
      haimen.map((r) => [r.code, r.former]),
      [['320684', true]],
    );
    assert.equal(fullRegionName(haimen[0]!), '江苏省南通市海门市');
    assert.deepEqual(
      listRegions()
        .filter((r) => r.code === '320684')
        .map((r) => r.former),
      [true],
    );
    assert.equal(listRegions().find((r) => r.code === '130502')?.former, undefined);
  });

  it('reads a former district name under its prefecture, while the reused code keeps its current name', () => {
    const chain = readRegionChain('邢台市桥东区人民政府');
    assert.deepEqual(
      chain?.candidates.map((r) => [r.code, r.name]),
      [['130502', '桥东区']],
    );
    assert.equal(getRegion('130502')?.name, '襄都区');
  });
});

describe('names and codes changed between 2021 and 2023', () => {
  it('reads a county renamed since 2021 under its former code, beside today’s district', () => {
    assert.deepEqual(
      findRegionsByName('沙县').map((r) => [r.code, r.former]),
      [['350427', true]],
    );
    assert.equal(getRegion('350405')?.name, '沙县区');
    assert.equal(fullRegionName(getRegion('350427')!), '福建省三明市沙县');
  });

  it('knows a re-coded development zone by both codes, today’s first', () => {
    assert.deepEqual(
      findRegionsByName('苏州工业园区').map((r) => [r.code, r.former ?? false]),
      [
        ['320576', false],
        ['320571', true],
      ],
    );
  });

  it('lists a city without counties once, as the prefecture-level city', () => {
    assert.deepEqual(
      findRegionsByName('嘉峪关市').map((r) => [r.code, r.level]),
      [['620200', 'prefecture']],
    );
    assert.equal(getRegion('441900')?.level, 'prefecture');
  });
});
