/** The three statutory tables (二, 三, 四) as HTML, laid out like the national template of each format. */
import type { PlantedFormat } from './planted-data.ts';

type Cells = Record<string, number | null>;

/** A header or label cell; `span` is [rowspan, colspan]. */
function th(text: string, span: [number, number] = [1, 1]): string {
  const [rows, cols] = span;
  return `<td${rows > 1 ? ` rowspan="${rows}"` : ''}${cols > 1 ? ` colspan="${cols}"` : ''}>${text}</td>`;
}

/** A figure cell: null is a blank cell, never 0. */
function figure(value: number | null | undefined, colspan = 1): string {
  return `<td${colspan > 1 ? ` colspan="${colspan}"` : ''}>${value === null || value === undefined ? '' : String(value)}</td>`;
}

/** Moves the decimal point four places left on the digits, so 2099000.46 元 prints as 209.900046 万元 exactly. */
export function yuanToWanText(yuan: number): string {
  const negative = yuan < 0;
  const [whole = '0', fraction = ''] = Math.abs(yuan).toString().split('.');
  const padded = whole.padStart(5, '0');
  const digits = `${padded.slice(-4)}${fraction}`.replace(/0+$/, '');
  const integer = padded.slice(0, -4).replace(/^0+(?=\d)/, '');
  return `${negative ? '-' : ''}${integer}${digits ? `.${digits}` : ''}`;
}

function table(rows: string[]): string {
  return `<table border="1" cellspacing="0" cellpadding="4">\n${rows.map((row) => `<tr>${row}</tr>`).join('\n')}\n</table>`;
}

function table2of2019(c: Cells): string {
  const amount = c['t2.procurement.amount_yuan'];
  const three = (label: string, key: string, metrics: string[]) => th(label) + metrics.map((m) => figure(c[`t2.${key}.${m}`])).join('');
  return table([
    th('第二十条第（一）项', [1, 4]),
    th('信息内容') + th('本年新制作数量') + th('本年新公开数量') + th('对外公开总数量'),
    three('规章', 'regulations', ['made', 'published', 'total']),
    three('规范性文件', 'normative_docs', ['made', 'published', 'total']),
    th('第二十条第（五）项', [1, 4]),
    th('信息内容') + th('上一年项目数量') + th('本年增/减') + th('处理决定数量'),
    three('行政许可', 'licensing', ['prev_items', 'change', 'decisions']),
    three('其他对外管理服务事项', 'other_services', ['prev_items', 'change', 'decisions']),
    th('第二十条第（六）项', [1, 4]),
    th('信息内容') + th('上一年项目数量') + th('本年增/减') + th('处理决定数量'),
    three('行政处罚', 'punishment', ['prev_items', 'change', 'decisions']),
    three('行政强制', 'coercion', ['prev_items', 'change', 'decisions']),
    th('第二十条第（八）项', [1, 4]),
    th('信息内容') + th('上一年项目数量') + th('本年增/减', [1, 2]),
    th('行政事业性收费') + figure(c['t2.fees.prev_items']) + figure(c['t2.fees.change'], 2),
    th('第二十条第（九）项', [1, 4]),
    th('信息内容') + th('采购项目数量') + th('采购总金额（万元）', [1, 2]),
    th('政府集中采购') +
      figure(c['t2.procurement.projects']) +
      `<td colspan="2">${amount === null || amount === undefined ? '' : yuanToWanText(amount)}</td>`,
  ]);
}

function table2of2021(c: Cells): string {
  return table([
    th('第二十条第（一）项', [1, 4]),
    th('信息内容') + th('本年制发件数') + th('本年废止件数') + th('现行有效件数'),
    th('规章') + ['issued', 'repealed', 'in_force'].map((m) => figure(c[`t2.regulations.${m}`])).join(''),
    th('行政规范性文件') + ['issued', 'repealed', 'in_force'].map((m) => figure(c[`t2.normative_docs.${m}`])).join(''),
    th('第二十条第（五）项', [1, 4]),
    th('信息内容') + th('本年处理决定数量', [1, 3]),
    th('行政许可') + figure(c['t2.licensing.decisions'], 3),
    th('第二十条第（六）项', [1, 4]),
    th('信息内容') + th('本年处理决定数量', [1, 3]),
    th('行政处罚') + figure(c['t2.punishment.decisions'], 3),
    th('行政强制') + figure(c['t2.coercion.decisions'], 3),
    th('第二十条第（八）项', [1, 4]),
    th('信息内容') + th('本年收费金额（单位：万元）', [1, 3]),
    th('行政事业性收费') + figure(c['t2.fees.amount_wan'], 3),
  ]);
}

/** Applicant columns of table 三, in template order. */
export const applicantColumns = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'];

const denied = [
  ['state_secret', '1.属于国家秘密'],
  ['prohibited_by_law', '2.其他法律行政法规禁止公开'],
  ['three_security_one_stability', '3.危及“三安全一稳定”'],
  ['third_party_rights', '4.保护第三方合法权益'],
  ['internal_affairs', '5.属于三类内部事务信息'],
  ['process_info', '6.属于四类过程性信息'],
  ['enforcement_files', '7.属于行政执法案卷'],
  ['query_matters', '8.属于行政查询事项'],
];
const unable = [
  ['not_held', '1.本机关不掌握相关政府信息'],
  ['need_creation', '2.没有现成信息需要另行制作'],
  ['unclear_after_correction', '3.补正后申请内容仍不明确'],
];
const notProcessed = [
  ['complaint', '1.信访举报投诉类申请'],
  ['repeated', '2.重复申请'],
  ['publications', '3.要求提供公开出版物'],
  ['massive_repeated', '4.无正当理由大量反复申请'],
  ['confirm_info', '5.要求行政机关确认或重新出具已获取信息'],
];
const otherOf2021 = [
  ['overdue_correction', '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'],
  ['unpaid_fee', '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'],
  ['other', '3.其他'],
];

function table3(c: Cells, format: PlantedFormat): string {
  const figures = (row: string) => applicantColumns.map((column) => figure(c[`t3.${row}.${column}`])).join('');
  const group = (label: string, prefix: string, items: string[][]) =>
    items.map(([key, text], index) => (index === 0 ? th(label, [items.length, 1]) : '') + th(text!) + figures(`${prefix}.${key}`));
  const other = format === '2021' ? group('（六）其他处理', 'other', otherOf2021) : [th('（六）其他处理', [1, 2]) + figures('other')];
  const results = [
    th('（一）予以公开', [1, 2]) + figures('granted'),
    th('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', [1, 2]) + figures('partial'),
    ...group('（三）不予公开', 'denied', denied),
    ...group('（四）无法提供', 'unable', unable),
    ...group('（五）不予处理', 'not_processed', notProcessed),
    ...other,
    th('（七）总计', [1, 2]) + figures('results_total'),
  ];
  results[0] = th('三、本年度办理结果', [results.length, 1]) + results[0];
  return table([
    th('（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', [3, 3]) + th('申请人情况', [1, 7]),
    th('自然人', [2, 1]) + th('法人或其他组织', [1, 5]) + th('总计', [2, 1]),
    th('商业企业') + th('科研机构') + th('社会公益组织') + th('法律服务机构') + th('其他'),
    th('一、本年新收政府信息公开申请数量', [1, 3]) + figures('new_received'),
    th('二、上年结转政府信息公开申请数量', [1, 3]) + figures('carried_over'),
    ...results,
    th('四、结转下年度继续办理', [1, 3]) + figures('carried_forward'),
  ]);
}

const outcomes = ['upheld', 'corrected', 'other', 'pending', 'total'];
const outcomeLabels = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];

function table4(c: Cells): string {
  const groups = ['review', 'litigation_direct', 'litigation_after_review'];
  return table([
    th('行政复议', [1, 5]) + th('行政诉讼', [1, 10]),
    outcomeLabels.map((label) => th(label, [2, 1])).join('') + th('未经复议直接起诉', [1, 5]) + th('复议后起诉', [1, 5]),
    [...outcomeLabels, ...outcomeLabels].map((label) => th(label)).join(''),
    groups.flatMap((group) => outcomes.map((outcome) => figure(c[`t4.${group}.${outcome}`]))).join(''),
  ]);
}

/** Headings and tables of sections 二, 三 and 四, in the template of the given format. */
export function renderStatutoryTables(cells: Cells, format: PlantedFormat): { heading: string; html: string }[] {
  return [
    { heading: '二、主动公开政府信息情况', html: format === '2021' ? table2of2021(cells) : table2of2019(cells) },
    { heading: '三、收到和处理政府信息公开申请情况', html: table3(cells, format) },
    { heading: '四、政府信息公开行政复议、行政诉讼情况', html: table4(cells) },
  ];
}
