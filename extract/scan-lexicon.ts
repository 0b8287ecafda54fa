/**
 * The national template's printed labels, for OCR of table cells: a label read with a wrong character or two
 * (规章 as 规幸) is snapped to the template's wording, as a form reader does, so the parse stage finds its row.
 * Only labels are snapped, never figures; the engine's own reading is kept beside the snapped one.
 */

/** Labels of tables 二, 三 and 四 in both templates, as printed (row labels, column heads, group heads). */
const LABELS = [
  '第二十条第（一）项',
  '第二十条第（五）项',
  '第二十条第（六）项',
  '第二十条第（八）项',
  '第二十条第（九）项',
  '信息内容',
  '本年新制作数量',
  '本年新公开数量',
  '对外公开总数量',
  '上一年项目数量',
  '本年增/减',
  '处理决定数量',
  '采购项目数量',
  '采购总金额（万元）',
  '本年制发件数',
  '本年废止件数',
  '现行有效件数',
  '本年处理决定数量',
  '本年收费金额（单位：万元）',
  '规章',
  '规范性文件',
  '行政规范性文件',
  '行政许可',
  '其他对外管理服务事项',
  '行政处罚',
  '行政强制',
  '行政事业性收费',
  '政府集中采购',
  '申请人情况',
  '自然人',
  '法人或其他组织',
  '总计',
  '商业企业',
  '科研机构',
  '社会公益组织',
  '法律服务机构',
  '其他',
  '一、本年新收政府信息公开申请数量',
  '二、上年结转政府信息公开申请数量',
  '三、本年度办理结果',
  '（一）予以公开',
  '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
  '（三）不予公开',
  '（四）无法提供',
  '（五）不予处理',
  '（六）其他处理',
  '（七）总计',
  '四、结转下年度继续办理',
  '1.属于国家秘密',
  '2.其他法律行政法规禁止公开',
  '3.危及“三安全一稳定”',
  '4.保护第三方合法权益',
  '5.属于三类内部事务信息',
  '6.属于四类过程性信息',
  '7.属于行政执法案卷',
  '8.属于行政查询事项',
  '1.本机关不掌握相关政府信息',
  '2.没有现成信息需要另行制作',
  '3.补正后申请内容仍不明确',
  '1.信访举报投诉类申请',
  '2.重复申请',
  '3.要求提供公开出版物',
  '4.无正当理由大量反复申请',
  '5.要求行政机关确认或重新出具已获取信息',
  '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
  '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
  '3.其他',
  '行政复议',
  '行政诉讼',
  '结果维持',
  '结果纠正',
  '其他结果',
  '尚未审结',
  '未经复议直接起诉',
  '复议后起诉',
];

/** Compared without spaces, punctuation width or bracket style: OCR varies those freely. */
function key(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s"“”'‘’]/g, '')
    .replace(/[（(]/g, '(')
    .replace(/[）)]/g, ')')
    .replace(/[，,]/g, ',')
    .replace(/[：:]/g, ':')
    .replace(/[、.．]/g, '.');
}

const KEYED = LABELS.map((label) => ({ label, key: key(label) }));

/** Levenshtein distance, with a cut-off: past `limit` the exact value does not matter. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]!);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The template label an OCRed cell text stands for, when it is within a quarter of its characters of exactly one
 * label (closest wins; a tie snaps nothing); null for text that is no label (figures, prose).
 */
export function snapLabel(text: string): string | null {
  const compact = key(text);
  if (!/[\u3400-\u9fff]/.test(compact)) return null;
  let best: { label: string; distance: number } | null = null;
  let tie = false;
  for (const entry of KEYED) {
    const limit = Math.floor(entry.key.length / 4);
    const found = distance(compact, entry.key, limit);
    if (found > limit) continue;
    if (!best || found < best.distance) [best, tie] = [{ label: entry.label, distance: found }, false];
    else if (found === best.distance && entry.label !== best.label) tie = true;
  }
  return best && !tie ? best.label : null;
}
