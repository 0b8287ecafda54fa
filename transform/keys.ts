/**
 * The CONTRACT.md cell keys of tables 二, 三 and 四 for each template, with the labels that recognise their rows
 * in a document. The one source of truth for the parser, the loader and the simulator.
 */

/** A table format with statutory cells. */
export type TableFormat = '2019' | '2021';

/** One statutory row: its key prefix, the metrics it holds in column order, and how its label reads. */
export interface RowSpec {
  /** Key prefix without metric, e.g. `t2.licensing`, `t3.denied.state_secret`. */
  prefix: string;
  /** Column keys in the order the template prints them. */
  metrics: readonly string[];
  /** Matches the row's label once compacted (no whitespace, NFKC); variants and known typos included. */
  label: RegExp;
}

/** Applicant columns of table 三 in template order: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计. */
export const T3_COLUMNS = ['natural_person', 'commercial', 'research', 'social_welfare', 'legal_service', 'other_org', 'total'] as const;

/** Outcome columns of each table-四 group: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计. */
export const T4_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;

/** Table-四 groups in template order: 行政复议, 未经复议直接起诉, 复议后起诉. */
export const T4_GROUPS = ['review', 'litigation_direct', 'litigation_after_review'] as const;

const ITEM_METRICS_2019 = ['prev_items', 'change', 'decisions'] as const;

/** Table 二 rows of the 2019 template; labels are anchored: the cell must be the row label alone. */
export const T2_ROWS_2019: readonly RowSpec[] = [
  { prefix: 't2.regulations', metrics: ['made', 'published', 'total'], label: /^规章$/ },
  { prefix: 't2.normative_docs', metrics: ['made', 'published', 'total'], label: /^(?:行政)?规范性文件$/ },
  { prefix: 't2.licensing', metrics: ITEM_METRICS_2019, label: /^行政许可$/ },
  { prefix: 't2.other_services', metrics: ITEM_METRICS_2019, label: /^其他对外管理服务事项$/ },
  { prefix: 't2.punishment', metrics: ITEM_METRICS_2019, label: /^行政处罚$/ },
  { prefix: 't2.coercion', metrics: ITEM_METRICS_2019, label: /^行政强制$/ },
  { prefix: 't2.fees', metrics: ['prev_items', 'change'], label: /^行政事业性收费$/ },
  { prefix: 't2.procurement', metrics: ['projects', 'amount_yuan'], label: /^政府集中采购$/ },
];

/** Table 二 rows of the 2021 template. */
export const T2_ROWS_2021: readonly RowSpec[] = [
  { prefix: 't2.regulations', metrics: ['issued', 'repealed', 'in_force'], label: /^规章$/ },
  { prefix: 't2.normative_docs', metrics: ['issued', 'repealed', 'in_force'], label: /^(?:行政)?规范性文件$/ },
  { prefix: 't2.licensing', metrics: ['decisions'], label: /^行政许可$/ },
  { prefix: 't2.punishment', metrics: ['decisions'], label: /^行政处罚$/ },
  { prefix: 't2.coercion', metrics: ['decisions'], label: /^行政强制$/ },
  { prefix: 't2.fees', metrics: ['amount_wan'], label: /^行政事业性收费$/ },
];

function t3Row(row: string, label: RegExp): RowSpec {
  return { prefix: `t3.${row}`, metrics: T3_COLUMNS, label };
}

/** Rows (一) … (五) and the carried-over rows, common to both templates. Labels match anywhere in a wrapped label. */
const T3_HEAD: readonly RowSpec[] = [
  t3Row('new_received', /新收/),
  t3Row('carried_over', /上年结转|上年度结转/),
  t3Row('granted', /予以公开/),
  t3Row('partial', /部分公开/),
  t3Row('denied.state_secret', /国家秘密/),
  t3Row('denied.prohibited_by_law', /其他法律|禁止公开|行政止公开/),
  t3Row('denied.three_security_one_stability', /三安全|安全.?一?.?稳定|危及/),
  t3Row('denied.third_party_rights', /第三方/),
  t3Row('denied.internal_affairs', /内部事务/),
  t3Row('denied.process_info', /过程性/),
  t3Row('denied.enforcement_files', /执法案卷/),
  t3Row('denied.query_matters', /查询事项/),
  t3Row('unable.not_held', /不掌握/),
  t3Row('unable.need_creation', /没有现成|另行制作/),
  t3Row('unable.unclear_after_correction', /补正后|仍不明确/),
  t3Row('not_processed.complaint', /信访|举报|投诉/),
  t3Row('not_processed.repeated', /重复申请/),
  t3Row('not_processed.publications', /出版物/),
  t3Row('not_processed.massive_repeated', /大量反复|大量/),
  t3Row('not_processed.confirm_info', /确认|重新出具|已获取/),
];

/** (六) 其他处理 as one row (2019 template, and 2021 reports that keep it). */
export const T3_OTHER_ONE_ROW: RowSpec = t3Row('other', /其他处理$/);

/** (六) 其他处理 1–3 of the 2021 template. */
export const T3_OTHER_2021: readonly RowSpec[] = [
  t3Row('other.overdue_correction', /逾期不补正|不补正/),
  t3Row('other.unpaid_fee', /收费通知|缴纳费用|逾期未按/),
  t3Row('other.other', /(?:^|\d[、.．]?)其他$/),
];

const T3_TAIL: readonly RowSpec[] = [t3Row('results_total', /总计$/), t3Row('carried_forward', /结转下年|下年度继续/)];

/** Table 三 rows of each template, in order. */
export const T3_ROWS: Record<TableFormat, readonly RowSpec[]> = {
  '2019': [...T3_HEAD, T3_OTHER_ONE_ROW, ...T3_TAIL],
  '2021': [...T3_HEAD, ...T3_OTHER_2021, ...T3_TAIL],
};

/** Every row a table 三 may show, whatever the template, in reading order: what the parser looks for. */
export const T3_ROWS_ANY: readonly RowSpec[] = [...T3_HEAD, ...T3_OTHER_2021, T3_OTHER_ONE_ROW, ...T3_TAIL];

/** Result rows (一) … (六) whose sum is (七) 总计, by key prefix, for either layout of (六). */
export const T3_RESULT_PREFIXES = [
  ...T3_HEAD.slice(2).map((row) => row.prefix),
  T3_OTHER_ONE_ROW.prefix,
  ...T3_OTHER_2021.map((row) => row.prefix),
];

/** Table 四 as one row of fifteen slots: three groups of five. */
export const T4_ROW: RowSpec = {
  prefix: 't4',
  metrics: T4_GROUPS.flatMap((group) => T4_COLUMNS.map((column) => `${group}.${column}`)),
  label: /行政复议|行政诉讼/,
};

function keysOf(rows: readonly RowSpec[]): string[] {
  return rows.flatMap((row) => row.metrics.map((metric) => `${row.prefix}.${metric}`));
}

/**
 * Every cell key of a format, in table order. `oneRowOther` gives a 2021 report that keeps the one-row
 * (六) 其他处理 its `t3.other.<col>` keys instead of the three sub-rows.
 */
export function cellKeys(format: TableFormat, options: { oneRowOther?: boolean } = {}): string[] {
  const t2 = format === '2021' ? T2_ROWS_2021 : T2_ROWS_2019;
  const t3 = format === '2021' && options.oneRowOther ? [...T3_HEAD, T3_OTHER_ONE_ROW, ...T3_TAIL] : T3_ROWS[format];
  return [...keysOf(t2), ...keysOf(t3), ...keysOf([T4_ROW])];
}
