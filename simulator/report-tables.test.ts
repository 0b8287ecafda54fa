import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as cheerio from 'cheerio';
import { startDemoPortals, type DemoPortals, type PlantedReport } from './index.ts';
import { yuanToWanText } from './statutory-tables.ts';

let demo: DemoPortals;
before(async () => {
  demo = await startDemoPortals();
});
after(async () => {
  await demo.close();
});

/** Expands rowspan/colspan into a full grid of texts, the way a reader of the page would see it. */
function grid($: cheerio.CheerioAPI, table: Parameters<cheerio.CheerioAPI>[0]): string[][] {
  const rows: string[][] = [];
  $(table)
    .find('tr')
    .each((rowIndex, tr) => {
      rows[rowIndex] ??= [];
      let column = 0;
      $(tr)
        .children('td,th')
        .each((_, td) => {
          while (rows[rowIndex]![column] !== undefined) column += 1;
          const rowspan = Number($(td).attr('rowspan') ?? 1);
          const colspan = Number($(td).attr('colspan') ?? 1);
          for (let r = 0; r < rowspan; r += 1) {
            rows[rowIndex + r] ??= [];
            for (let c = 0; c < colspan; c += 1) rows[rowIndex + r]![column + c] = $(td).text().trim();
          }
          column += colspan;
        });
    });
  return rows;
}

const value = (text: string): number | null => (text === '' ? null : Number(text));
const t3Columns = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];

/** Table-三 row labels of the national template, matched on the last label slot, mapped to CONTRACT rows. */
const t3Rows: [RegExp, string][] = [
  [/^一、本年新收/, 'new_received'],
  [/^二、上年结转/, 'carried_over'],
  [/予以公开$/, 'granted'],
  [/部分公开/, 'partial'],
  [/国家秘密/, 'denied.state_secret'],
  [/禁止公开/, 'denied.prohibited_by_law'],
  [/三安全一稳定/, 'denied.three_security_one_stability'],
  [/第三方/, 'denied.third_party_rights'],
  [/内部事务/, 'denied.internal_affairs'],
  [/过程性/, 'denied.process_info'],
  [/执法案卷/, 'denied.enforcement_files'],
  [/查询事项/, 'denied.query_matters'],
  [/不掌握/, 'unable.not_held'],
  [/另行制作/, 'unable.need_creation'],
  [/仍不明确/, 'unable.unclear_after_correction'],
  [/信访举报/, 'not_processed.complaint'],
  [/重复申请/, 'not_processed.repeated'],
  [/出版物/, 'not_processed.publications'],
  [/大量反复/, 'not_processed.massive_repeated'],
  [/确认或重新出具/, 'not_processed.confirm_info'],
  [/逾期不补正/, 'other.overdue_correction'],
  [/缴纳费用/, 'other.unpaid_fee'],
  [/^3\.其他$/, 'other.other'],
  [/^（六）其他处理$/, 'other'],
  [/总计$/, 'results_total'],
  [/结转下年度/, 'carried_forward'],
];

const t2Rows: Record<string, string> = {
  规章: 'regulations',
  规范性文件: 'normative_docs',
  行政规范性文件: 'normative_docs',
  行政许可: 'licensing',
  其他对外管理服务事项: 'other_services',
  行政处罚: 'punishment',
  行政强制: 'coercion',
  行政事业性收费: 'fees',
  政府集中采购: 'procurement',
};
const t2Metrics: Record<string, string> = {
  本年新制作数量: 'made',
  本年新公开数量: 'published',
  对外公开总数量: 'total',
  上一年项目数量: 'prev_items',
  '本年增/减': 'change',
  处理决定数量: 'decisions',
  本年处理决定数量: 'decisions',
  采购项目数量: 'projects',
  '采购总金额（万元）': 'amount_yuan',
  本年制发件数: 'issued',
  本年废止件数: 'repealed',
  现行有效件数: 'in_force',
  '本年收费金额（单位：万元）': 'amount_wan',
};

/** Reads table 二 by its header rows (信息内容 …) and the item rows under each. */
function readTable2(rows: string[][], into: Map<string, number | null>): void {
  let header: string[] = [];
  for (const row of rows) {
    if (row[0] === '信息内容') header = row;
    const item = t2Rows[row[0]!];
    if (!item) continue;
    const seen = new Set<string>();
    row.slice(1).forEach((text, index) => {
      const metric = t2Metrics[header[index + 1]!]!;
      if (seen.has(metric)) return;
      seen.add(metric);
      const number = value(text);
      into.set(`t2.${item}.${metric}`, metric === 'amount_yuan' && number !== null ? Math.round(number * 10000 * 100) / 100 : number);
    });
  }
}

function readTable3(rows: string[][], into: Map<string, number | null>): void {
  for (const row of rows.slice(3)) {
    const label = row[row.length - 8]!;
    const match = t3Rows.find(([pattern]) => pattern.test(label));
    assert.ok(match, `known row label ${label}`);
    row.slice(-7).forEach((text, index) => into.set(`t3.${match[1]}.${t3Columns[index]}`, value(text)));
  }
}

function readTable4(rows: string[][], into: Map<string, number | null>): void {
  const groups: Record<string, string> = {
    行政复议: 'review',
    未经复议直接起诉: 'litigation_direct',
    复议后起诉: 'litigation_after_review',
  };
  const outcomes: Record<string, string> = {
    结果维持: 'upheld',
    结果纠正: 'corrected',
    其他结果: 'other',
    尚未审结: 'pending',
    总计: 'total',
  };
  rows[3]!.forEach((text, index) => {
    const group = groups[rows[0]![index]!] ?? groups[rows[1]![index]!]!;
    into.set(`t4.${group}.${outcomes[rows[2]![index]!]}`, value(text));
  });
}

/** The article text of every part of the report's page, one after the other. */
async function articleHtml(report: PlantedReport): Promise<string> {
  const parts = await Promise.all(
    [report.htmlUrl!, ...report.partUrls].map(async (url) =>
      cheerio
        .load(await (await fetch(url)).text())('#zoom')
        .html(),
    ),
  );
  return parts.join('\n');
}

async function readPage(report: PlantedReport): Promise<{ cells: Map<string, number | null>; text: string }> {
  const $ = cheerio.load(await articleHtml(report));
  const grids = $('table')
    .toArray()
    .map((table) => grid($, table));
  // A report over two pages has its first table cut in two: the halves read on as one grid.
  if (report.partUrls.length > 0) grids.splice(0, 2, [...grids[0]!, ...grids[1]!]);
  assert.equal(grids.length, 3, `three statutory tables in ${report.id}`);
  const cells = new Map<string, number | null>();
  readTable2(grids[0]!, cells);
  readTable3(grids[1]!, cells);
  readTable4(grids[2]!, cells);
  return { cells, text: $.root().text() };
}

test('a report published over two pages cuts its first table between the pages', async () => {
  const split = demo.planted.filter((report) => report.partUrls.length > 0);
  assert.equal(split.length, 1);
  for (const url of [split[0]!.htmlUrl!, ...split[0]!.partUrls]) {
    const $ = cheerio.load(await (await fetch(url)).text());
    assert.ok($('#zoom table').length >= 1, url);
    assert.match($('#autopage script').text(), /createPageHTML\(countPage/);
  }
});

test('the HTML tables of every report published in HTML hold exactly its planted figures', async () => {
  const inHtml = demo.planted.filter((report) => report.htmlUrl);
  assert.ok(inHtml.length >= 4);
  for (const report of inHtml) {
    const { cells } = await readPage(report);
    assert.deepEqual(Object.fromEntries(cells), report.cells, report.id);
  }
});

test('planted cells cover every key of their format, blanks included, and both formats are planted', () => {
  const keyCount = (format: string) =>
    new Set(demo.planted.filter((report) => report.format === format).map((report) => Object.keys(report.cells).length));
  assert.deepEqual(keyCount('2019'), new Set([198]));
  assert.deepEqual(keyCount('2021'), new Set([200]));
  assert.ok(
    demo.planted.some((report) => Object.values(report.cells).includes(null)),
    'some blank cells',
  );
});

test('the report text opens with its issuer and the statistical period of the year reported on', async () => {
  for (const report of demo.planted.filter((report) => report.htmlUrl)) {
    const { text } = await readPage(report);
    assert.ok(text.includes(report.issuer));
    assert.ok(text.includes(`自${report.year}年1月1日起至${report.year}年12月31日止`));
    for (const heading of ['一、总体情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项']) assert.ok(text.includes(heading));
  }
});

test('yuan amounts print in 万元 by moving the decimal point, without float noise', () => {
  for (const yuan of [0, 5, 251000, 2099000.46, 45557710, 179490000, 212078400]) {
    const text = yuanToWanText(yuan);
    assert.match(text, /^\d+(\.\d*[1-9])?$/);
    const [whole, fraction = ''] = text.split('.');
    assert.equal(BigInt(whole! + fraction.padEnd(6, '0')), BigInt(Math.round(yuan * 100)), `${yuan} -> ${text}`);
  }
});

test('each planted identity anomaly is what the planted figures give: parts sum to expected, the total is found', () => {
  const sum = (cells: Record<string, number | null>, keys: string[]) => keys.reduce((total, key) => total + (cells[key] ?? 0), 0);
  const listed = demo.planted.flatMap((report) => report.anomalies.map((anomaly) => ({ report, anomaly })));
  assert.ok(listed.length >= 3);
  for (const { report, anomaly } of listed) {
    const [identity, subject] = anomaly.id.split(':') as [string, string];
    const c = report.cells;
    if (identity === 't4_sum') {
      assert.equal(
        sum(
          c,
          ['upheld', 'corrected', 'other', 'pending'].map((o) => `t4.${subject}.${o}`),
        ),
        anomaly.expected,
      );
      assert.equal(c[`t4.${subject}.total`], anomaly.found);
    } else if (identity === 'row_sum') {
      assert.equal(
        sum(
          c,
          t3Columns.slice(0, 6).map((column) => `t3.${subject}.${column}`),
        ),
        anomaly.expected,
      );
      assert.equal(c[`t3.${subject}.total`], anomaly.found);
    } else if (identity === 'results_sum') {
      const parts = Object.keys(c).filter(
        (key) => key.startsWith('t3.') && key.endsWith(`.${subject}`) && !/new_received|carried|results_total/.test(key),
      );
      assert.equal(sum(c, parts), anomaly.expected);
      assert.equal(c[`t3.results_total.${subject}`], anomaly.found);
    } else {
      assert.equal(
        sum(c, [`t3.new_received.${subject}`, `t3.carried_over.${subject}`]) - (c[`t3.carried_forward.${subject}`] ?? 0),
        anomaly.expected,
      );
      assert.equal(c[`t3.results_total.${subject}`], anomaly.found);
    }
  }
});
