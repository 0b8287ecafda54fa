/** The body of a planted report (own prose around the statutory tables), shared by detail pages and PDF sources. */
import type { DecoyData, PlantedReportData } from './planted-data.ts';
import { renderStatutoryTables } from './statutory-tables.ts';

/** Picks one of several phrasings from a report id, so reports read differently but stay stable between runs. */
function pick(id: string, salt: string, options: string[]): string {
  let hash = 0;
  for (const char of id + salt) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return options[hash % options.length]!;
}

function paragraphs(texts: string[]): string {
  return texts.map((text) => `<p>${text}</p>`).join('\n');
}

function opening(report: { issuer: string; year: number }): string {
  return `本报告由${report.issuer}根据《中华人民共和国政府信息公开条例》要求编制。报告所列数据的统计期限自${report.year}年1月1日起至${report.year}年12月31日止。`;
}

function overview(report: PlantedReportData): string[] {
  return [
    opening(report),
    pick(report.id, 'a', [
      '一年来，本机关坚持以公开为常态、不公开为例外，围绕中心工作持续深化政务公开。',
      '本年度，本机关把政务公开纳入年度重点工作，明确分管负责同志和具体承办人员。',
      '本年度，本机关进一步健全公开工作机制，公开质量和时效稳步提升。',
    ]),
    pick(report.id, 'b', [
      '主动公开方面，及时发布政策文件、财政预决算和重点领域信息，并做好政策解读。',
      '依申请公开方面，规范受理、登记、审核、答复各环节，按期答复申请人。',
      '平台建设方面，优化门户网站政府信息公开专栏，完善栏目设置和检索功能。',
    ]),
  ];
}

const closing = [
  [
    '五、存在的主要问题及改进情况',
    [
      '公开内容的深度和解读的针对性仍有不足。下一步将加强培训，提升公开工作人员的业务能力。',
      '部分栏目更新不够及时。下一步将建立栏目巡查制度，定期检查更新情况。',
    ],
  ],
  ['六、其他需要报告的事项', ['本年度未收取信息处理费。', '本年度无其他需要报告的事项。']],
] as const;

/**
 * Sections 一 to 六 of a statutory report as HTML, tables in the template of its format — or, given `tables`,
 * that HTML in their place (an article showing its tables as scanned images).
 */
export function renderReportBody(report: PlantedReportData, tables = statutoryTablesHtml(report)): string {
  const ending = closing
    .map(([heading, options]) => `<p><strong>${heading}</strong></p>\n${paragraphs([pick(report.id, heading, [...options])])}`)
    .join('\n');
  return [`<p><strong>一、总体情况</strong></p>`, paragraphs(overview(report)), tables, ending].join('\n');
}

function statutoryTablesHtml(report: PlantedReportData): string {
  return renderStatutoryTables(report.cells, report.format)
    .map(({ heading, html }) => `<p><strong>${heading}</strong></p>\n${html}`)
    .join('\n');
}

/**
 * The body of a report published over two pages: cut between two rows in the middle of its first table, each
 * half a table of its own, as a CMS splits an article at an editor's page break.
 */
export function renderReportBodyParts(report: PlantedReportData): [string, string] {
  const body = renderReportBody(report);
  const tableStart = body.indexOf('<table');
  const tableEnd = body.indexOf('</table>', tableStart);
  const openingTag = body.slice(tableStart, body.indexOf('>', tableStart) + 1);
  const rowStarts = [...body.slice(tableStart, tableEnd).matchAll(/<tr>/g)].map((match) => tableStart + match.index!);
  const cut = rowStarts[Math.floor(rowStarts.length / 2)]!;
  return [`${body.slice(0, cut)}</table>`, `${openingTag}\n${body.slice(cut)}`];
}

/** A body in prose only: a 政府信息公开指南, or a report in the pre-2019 layout without the national tables. */
export function renderDecoyBody(decoy: DecoyData): string {
  if (decoy.kind === 'guide') {
    return paragraphs([
      `为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。`,
      '一、主动公开。公开的范围、方式和时限见本机关政府信息公开目录。',
      '二、依申请公开。申请人可通过网络、信函或当面提交申请，本机关自收到申请之日起20个工作日内予以答复。',
      `三、监督方式。申请人认为${decoy.issuer}在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。`,
    ]);
  }
  return paragraphs([
    `<strong>一、概述</strong>`,
    `本报告由${decoy.issuer}编制，统计期限自${decoy.year}年1月1日起至${decoy.year}年12月31日止。`,
    '<strong>二、主动公开政府信息情况</strong>',
    '本年度通过门户网站、政务微博和公开栏等渠道主动公开各类信息，公开工作总体平稳有序。',
    '<strong>三、依申请公开政府信息情况</strong>',
    '本年度依申请公开工作按规定办理，均在法定期限内答复。',
    '<strong>四、政府信息公开的收费及减免情况</strong>',
    '本年度未收取任何费用。',
    '<strong>五、因政府信息公开申请行政复议、提起行政诉讼的情况</strong>',
    '本年度未发生相关情况。',
    '<strong>六、存在的主要问题和改进措施</strong>',
    '下一步将继续加强政府信息公开工作。',
  ]);
}

/** A whole HTML document of a report, for printing to PDF: CJK font, ruled tables, title and issuer. */
export function renderStandaloneReport(report: PlantedReportData): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${report.title}</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 10pt; }
h1 { font-size: 15pt; text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 6pt 0; }
td { border: 1px solid #000; padding: 2pt; font-size: 8pt; text-align: center; }
</style></head>
<body>
<h1>${report.title}</h1>
${renderReportBody(report)}
<p style="text-align: right">${report.issuer}</p>
<p style="text-align: right">${report.publishedAt.slice(0, 4)}年${Number(report.publishedAt.slice(5, 7))}月${Number(report.publishedAt.slice(8, 10))}日</p>
</body></html>
`;
}
