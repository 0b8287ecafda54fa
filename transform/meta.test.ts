import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { extractText } from '../extract/text.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { detectFormat, readReportMeta } from './meta.ts';

const fixture = (name: string, title: string | null = null): ExtractedDocument => ({
  ...extractText(readFileSync(new URL(`./fixtures/meta/${name}`, import.meta.url), 'utf8'), name),
  title,
});
const fromText = (text: string, title: string | null = null): ExtractedDocument => ({ ...extractText(text, 'inline'), title });

/** A short body with the six statutory section headings, as every report since 2008 has them. */
const sections = [
  '一、总体情况',
  '二、主动公开政府信息情况',
  '三、收到和处理政府信息公开申请情况',
  '四、政府信息公开行政复议、行政诉讼情况',
  '五、存在的主要问题及改进情况',
  '六、其他需要报告的事项',
].join('\n');

describe('readReportMeta: year', () => {
  it('takes the year from the title, not from the publication date printed under it', () => {
    const meta = readReportMeta(fixture('heping-2021.txt'), { publishedAt: '2022-01-20' });
    assert.equal(meta.year, 2021);
  });

  it('takes the year from the statistics period when the title has none', () => {
    const doc = fromText(`发布日期：2020-02-03\n${sections}\n本报告统计期限自2019年1月1日起至2019年12月31日止。`);
    const meta = readReportMeta(doc, { title: '永善县人民政府政府信息公开工作年度报告', publishedAt: '2020-02-03' });
    assert.equal(meta.year, 2019);
    assert.equal(meta.format, '2019');
  });

  it('takes the year from the opening sentence of the body', () => {
    assert.equal(readReportMeta(fixture('oroqen-signature.txt')).year, 2020);
  });

  it('reads a year written in Chinese numerals and a title that wraps onto a second line', () => {
    const meta = readReportMeta(fromText(`隆德县二〇二〇年政府信息公开工作\n年度报告\n${sections}`));
    assert.deepEqual([meta.year, meta.title, meta.issuer], [2020, '隆德县2020年政府信息公开工作年度报告', '隆德县人民政府']);
  });

  it('does not take a publication month in the title for the year reported on', () => {
    const doc = fromText(`${sections}\n统计期限自2021年1月1日至2021年12月31日。`);
    assert.equal(readReportMeta(doc, { title: '泰州市政府信息公开工作年度报告（2022年1月）' }).year, 2021);
    assert.equal(readReportMeta(doc, { title: '泰州市政府信息公开工作年度报告（2020年度）' }).year, 2020);
  });

  it('trusts the heading over a PDF title left over from last year, and a full page title over both', () => {
    const doc = fromText(`隆德县2020年政府信息公开工作年度报告\n${sections}`, '隆德县2019年政府信息公开工作年度报告');
    assert.equal(readReportMeta(doc).year, 2020);
    assert.equal(readReportMeta(doc, { title: '隆德县2021年政府信息公开工作年度报告' }).year, 2021);
    assert.equal(readReportMeta(doc, { title: '隆德县2021年政府信息公开…' }).year, 2020);
  });

  it('falls back to the year before publication when the document names no year at all', () => {
    const doc = fromText(`${sections}\n本机关全年公开信息若干条。`);
    assert.equal(readReportMeta(doc, { publishedAt: '2023-01-31' }).year, 2022);
    assert.equal(readReportMeta(doc).year, null);
    assert.equal(readReportMeta(doc, { url: 'http://127.0.0.1/xxgk/ndbg/202201/t20220120_881.html' }).year, 2021);
  });
});

describe('readReportMeta: issuer and region', () => {
  it('reads a heading split over two lines and names the district with the prefecture the report writes', () => {
    const meta = readReportMeta(fixture('heping-2021.txt'));
    assert.equal(meta.isReport, true);
    assert.equal(meta.title, '和平区人民政府2021年政府信息公开工作年度报告');
    assert.equal(meta.issuer, '沈阳市和平区人民政府');
    assert.equal(meta.regionCode, '210102');
    assert.equal(meta.regionName, '辽宁省沈阳市和平区');
    assert.equal(meta.level, 'county');
    assert.equal(meta.format, '2021');
  });

  it('reads the issuer between the year and the subject in a year-first title, as a department', () => {
    const meta = readReportMeta(fixture('gulin-finance-2020.txt'));
    assert.equal(meta.issuer, '古蔺县财政局');
    assert.equal(meta.level, 'department');
    assert.equal(meta.regionCode, '510525');
    assert.equal(meta.format, '2019');
  });

  it('reads the issuer from the opening sentence and names the government of a bare county', () => {
    const meta = readReportMeta(fixture('sunan-opening-2020.txt'));
    assert.equal(meta.issuer, '肃南裕固族自治县人民政府');
    assert.equal(meta.regionCode, '620721');
    assert.equal(meta.regionName, '甘肃省张掖市肃南裕固族自治县');
    assert.equal(meta.level, 'county');
    assert.equal(meta.year, 2020);
  });

  it('names the county the body speaks of most when nothing else names the issuer, ignoring words like 城区', () => {
    const body = `${sections}\n2021年，萧县完善城区和郊区的公开栏，城区公开栏增加12处，城区居民可就近查阅，萧县各乡镇同步推进。`;
    const meta = readReportMeta(fromText(body));
    assert.deepEqual([meta.issuer, meta.regionCode, meta.level, meta.year], ['萧县人民政府', '341322', 'county', 2021]);
  });

  it('reads the issuer from the signature when the document has no title', () => {
    const meta = readReportMeta(fixture('oroqen-signature.txt'));
    assert.equal(meta.issuer, '鄂伦春自治旗人民政府办公室');
    assert.equal(meta.level, 'department');
    assert.equal(meta.regionCode, '150723');
  });

  it('tells a province government office (department) from the province government', () => {
    const office = readReportMeta(fromText(sections), { title: '甘肃省人民政府办公厅2020年政府信息公开工作年度报告' });
    assert.deepEqual([office.issuer, office.level, office.regionCode], ['甘肃省人民政府办公厅', 'department', '620000']);
    const government = readReportMeta(fromText(sections), { title: '2021年甘肃省政府信息公开工作年度报告' });
    assert.deepEqual([government.issuer, government.level, government.regionCode], ['甘肃省人民政府', 'province', '620000']);
  });

  it('takes a 地区行政公署 for the government of its prefecture', () => {
    const meta = readReportMeta(fromText(sections), { title: '阿克苏地区行政公署2021年政府信息公开工作年度报告' });
    assert.deepEqual([meta.level, meta.regionCode], ['prefecture', '652900']);
  });

  it('gives a municipality its province level and its districts the county level', () => {
    const city = readReportMeta(fromText(sections), { title: '2022年上海市人民政府政府信息公开工作年度报告' });
    assert.deepEqual([city.level, city.regionCode, city.regionName], ['province', '310000', '上海市']);
    const district = readReportMeta(fromText(sections), { title: '上海市浦东新区人民政府2022年政府信息公开工作年度报告' });
    assert.deepEqual([district.level, district.regionCode], ['county', '310115']);
  });

  it('decides between districts of the same name by the parent the document mentions', () => {
    const title = '和平区人民政府2021年政府信息公开工作年度报告';
    const tianjin = readReportMeta(fromText(`${sections}\n全区落实天津市的部署。`), { title });
    assert.equal(tianjin.regionCode, '120101');
    const shenyang = readReportMeta(fromText(`${sections}\n全区落实沈阳市的部署。`), { title });
    assert.equal(shenyang.regionCode, '210102');
  });

  it('reads a 2020 report of a county renamed since under its code of the time', () => {
    const meta = readReportMeta(fromText(sections), { title: '海门市人民政府2020年政府信息公开工作年度报告' });
    assert.deepEqual([meta.regionCode, meta.regionName, meta.level], ['320684', '江苏省南通市海门市', 'county']);
  });

  it('prefers a district of today to a former one of the same name unless the document names the former parent', () => {
    const title = '桥东区人民政府2021年政府信息公开工作年度报告';
    assert.equal(readReportMeta(fromText(`${sections}\n全区落实张家口市的部署。`), { title }).regionCode, '130702');
    assert.equal(readReportMeta(fromText(`${sections}\n全区落实邢台市的部署。`), { title }).regionCode, '130502');
    assert.equal(readReportMeta(fromText(sections), { title }).regionCode, '130702');
  });

  it('decides between districts of the same name by the source region', () => {
    const meta = readReportMeta(fromText(sections), {
      title: '城关区2021年政府信息公开工作年度报告',
      sourceRegionCode: '620100',
    });
    assert.deepEqual([meta.regionCode, meta.issuer], ['620102', '城关区人民政府']);
  });

  it('leaves the code null rather than guess when nothing tells same-named districts apart', () => {
    const meta = readReportMeta(fromText(sections), { title: '城关区人民政府2021年政府信息公开工作年度报告' });
    assert.equal(meta.regionCode, null);
    assert.equal(meta.regionName, null);
    assert.equal(meta.level, 'county');
  });

  it('marks a development zone committee and a township as other, with the region they lie in', () => {
    const zone = readReportMeta(fromText(sections), { title: '淮安经济技术开发区管委会2021年政府信息公开工作年度报告' });
    assert.deepEqual([zone.level, zone.regionCode], ['other', '320871']);
    const bareZone = readReportMeta(fromText(sections), { title: '淮安经济技术开发区2021年政府信息公开工作年度报告' });
    assert.deepEqual([bareZone.level, bareZone.regionName], ['other', '江苏省淮安市淮安经济技术开发区']);
    const town = readReportMeta(fromText(sections), { title: '桃江县松木塘镇人民政府2022年政府信息公开工作年度报告' });
    assert.deepEqual([town.level, town.regionCode], ['other', '430922']);
  });

  it('names a special zone by its management committee, noting the office that published it', () => {
    const doc = fromText(
      `来源：平潭综合实验区管委会办公室 时间：2025-03-10 15:35\n${sections}`,
      '平潭综合实验区2024年度政府信息公开工作年度报告_平潭',
    );
    const meta = readReportMeta(doc);
    assert.equal(meta.issuer, '平潭综合实验区管委会（管委会办公室编制）');
    assert.deepEqual([meta.level, meta.regionCode, meta.regionName], ['other', '350128', '福建省平潭综合实验区']);
    const fromContext = readReportMeta(fromText(sections, doc.title), { sourceName: '平潭综合实验区管委会办公室' });
    assert.equal(fromContext.issuer, '平潭综合实验区管委会（管委会办公室编制）');
    assert.equal(readReportMeta(fromText(sections, doc.title)).issuer, '平潭综合实验区管委会');
  });

  it('skips navigation naming the report column before the heading', () => {
    const doc = fromText(`首页 > 政务公开 > 政府信息公开年报\n政府信息公开年报\n长沙县2021年政府信息公开工作年度报告\n${sections}`);
    const meta = readReportMeta(doc);
    assert.deepEqual([meta.title, meta.year, meta.issuer], ['长沙县2021年政府信息公开工作年度报告', 2021, '长沙县人民政府']);
  });

  it('strips a site suffix from a page title', () => {
    const meta = readReportMeta(fromText(sections), { title: '2020年隆德县政府信息公开工作年度报告_隆德县人民政府' });
    assert.equal(meta.title, '2020年隆德县政府信息公开工作年度报告');
    assert.equal(meta.issuer, '隆德县人民政府');
    assert.equal(meta.regionCode, '640423');
  });
});

describe('readReportMeta: what is not a report', () => {
  it('says a 信息公开指南 is not a report', () => {
    const meta = readReportMeta(fixture('guide.txt'));
    assert.equal(meta.isReport, false);
    assert.equal(meta.format, null);
  });

  it('says a list of reports is not a report', () => {
    assert.equal(readReportMeta(fixture('list-page.txt')).isReport, false);
  });

  it('says a notice about compiling the reports is not a report', () => {
    const doc = fromText('请各单位于1月31日前完成年度报告的编制和公布。\n一、总体情况要写清楚。');
    assert.equal(readReportMeta(doc, { title: '关于做好2021年度政府信息公开工作年度报告编制工作的通知' }).isReport, false);
  });

  it('marks a report from before 2019 as pre2019', () => {
    const meta = readReportMeta(fixture('jinan-2016.txt'), { publishedAt: '2017-07-21' });
    assert.equal(meta.isReport, true);
    assert.equal(meta.year, 2016);
    assert.equal(meta.format, 'pre2019');
    assert.deepEqual([meta.issuer, meta.regionCode, meta.level], ['福州市晋安区人民政府', '350111', 'county']);
  });
});

describe('detectFormat', () => {
  it('reads the template from table labels, also where they wrap across lines', () => {
    assert.equal(detectFormat(fixture('heping-2021.txt')), '2021');
    assert.equal(detectFormat(fixture('gulin-finance-2020.txt')), '2019');
    assert.equal(detectFormat(fromText('信息内容 本年新\n制作数量 本年新\n公开数量')), '2019');
    assert.equal(detectFormat(fixture('jinan-2016.txt')), null);
  });

  it('lets the year decide when one label-like word appears only in the prose', () => {
    const doc = fromText(`隆德县2020年政府信息公开工作年度报告\n${sections}\n本年制发规范性文件3件，均已公开。`);
    assert.equal(detectFormat(doc), '2021');
    assert.equal(readReportMeta(doc).format, '2019');
  });

  it('reads labels inside table cells', () => {
    const doc: ExtractedDocument = {
      ...fromText('二、主动公开政府信息情况'),
      pages: [
        {
          number: 1,
          blocks: [
            {
              kind: 'table',
              index: 0,
              origin: 'html',
              rows: [[{ text: '信息内容' }, { text: '本年制发件数' }, { text: '本年废止件数' }, { text: '现行有效件数' }]],
            },
          ],
        },
      ],
    };
    assert.equal(detectFormat(doc), '2021');
  });
});

describe('readReportMeta: what the national catalog knows of the portal', () => {
  /** 淮安市淮阴区人民政府's portal, as a catalog crawl describes it. */
  const huaiyinPortal = { sourceRegionCode: '320804', sourceName: '淮安市淮阴区人民政府', sourceLevel: 'county' as const };

  it('gives a department found on a county portal the department level, in the portal’s region', () => {
    const meta = readReportMeta(fromText(sections), { ...huaiyinPortal, title: '区财政局2022年政府信息公开工作年度报告' });
    assert.deepEqual([meta.issuer, meta.level, meta.regionCode], ['区财政局', 'department', '320804']);
    const centre = readReportMeta(fromText(sections), { ...huaiyinPortal, title: '淮阴区政务服务中心2022年政府信息公开工作年度报告' });
    assert.deepEqual([centre.level, centre.regionCode], ['department', '320804']);
  });

  it('takes a government named without its region for the portal’s own, at its catalog level', () => {
    const meta = readReportMeta(fromText(sections), { ...huaiyinPortal, title: '区人民政府2022年政府信息公开工作年度报告' });
    assert.deepEqual([meta.issuer, meta.level, meta.regionCode], ['淮安市淮阴区人民政府', 'county', '320804']);
  });

  it('lets the catalog decide the level of the portal’s own government, and only of it', () => {
    const own = readReportMeta(fromText(sections), {
      title: '儋州市2022年政府信息公开工作年度报告',
      sourceRegionCode: '460400',
      sourceLevel: 'county',
    });
    assert.deepEqual([own.issuer, own.level], ['儋州市人民政府', 'county']);
    const other = readReportMeta(fromText(sections), { ...huaiyinPortal, title: '淮安市人民政府2022年政府信息公开工作年度报告' });
    assert.deepEqual([other.level, other.regionCode], ['prefecture', '320800']);
  });

  it('falls back to the portal’s region when the document names none', () => {
    const meta = readReportMeta(fromText(`${sections}\n本机关全年主动公开信息若干条。`), huaiyinPortal);
    assert.deepEqual(
      [meta.issuer, meta.level, meta.regionCode, meta.regionName],
      ['淮安市淮阴区人民政府', 'county', '320804', '江苏省淮安市淮阴区'],
    );
  });

  it('does not take an undecided region the document names for the portal’s own', () => {
    const meta = readReportMeta(fromText(sections), { ...huaiyinPortal, title: '城关区人民政府2021年政府信息公开工作年度报告' });
    assert.deepEqual([meta.regionCode, meta.level], [null, 'county']);
  });
});
