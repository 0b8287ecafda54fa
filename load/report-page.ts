/**
 * The researchers' report: one self-contained HTML page (ECharts inlined, so it opens anywhere without network)
 * over the warehouse — requests per province and year (on a log scale, and per issuer), how they were answered in
 * the template's own terms (予以公开, 部分公开 …), coverage against the national catalog, anomalies by source. Each
 * chart has the table of its figures under it and the SQL it came from; every year of the span is on the axis.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { readCatalog } from '../crawlers/catalog.ts';
import { writeFileAtomic } from '../shared/files.ts';
import { query } from './queries.ts';
import { withReader } from './reader.ts';
import { readNamedRows } from './run-history.ts';

/** The template's result rows of 表三 三、本年度办理结果, in its order, with its words. */
export const OUTCOME_LABELS = {
  granted: '予以公开',
  partial: '部分公开',
  denied: '不予公开',
  unable: '无法提供',
  not_processed: '不予处理',
  other: '其他处理',
} as const;

const REVIEW_LABELS: Record<string, string> = { open: '待复核', confirmed: '已确认', dismissed: '已排除' };

export interface ProvinceYearRequests {
  provinceCode: string;
  province: string;
  year: number;
  reports: number;
  newRequests: number;
  medianRequests: number;
  maxRequests: number;
}
export interface YearOutcome {
  year: number;
  outcome: keyof typeof OUTCOME_LABELS;
  requests: number;
  reports: number;
}
export interface SourceAnomalies {
  sourceId: string;
  reviewState: string;
  anomalies: number;
}
export interface ProvinceCoverage {
  provinceCode: string;
  province: string;
  year: number;
  governments: number;
  listed: number;
}

/** The figures behind the charts, and where they came from. */
export interface ReportData {
  /** ISO 8601. */
  generatedAt: string;
  totals: { reports: number; issuers: number; firstYear: number | null; lastYear: number | null };
  /** Every year from the first to the last with a report, those without data included. */
  years: number[];
  requestsByProvince: ProvinceYearRequests[];
  outcomes: YearOutcome[];
  anomaliesBySource: SourceAnomalies[];
  /** Every province of the catalog and every year: governments with a report against those listed. */
  coverage: ProvinceCoverage[];
  /** The SQL of each chart, as run. */
  queries: Record<'requests' | 'outcomes' | 'anomalies' | 'coverage', string>;
}

export interface ReportOptions {
  /** The national catalog (JSON lines) that coverage counts governments in; default the shipped one. */
  catalogFile?: string;
  /** IANA zone the generation time is shown in; default Asia/Shanghai. */
  timezone?: string;
}

/** Reads the chart data from the warehouse (through withReader: read-only, waiting while the loader writes) and the catalog. */
export async function readReportData(file: string, options: ReportOptions = {}): Promise<ReportData> {
  const rows = await withReader(file, async (connection) => ({
    totals: (await readNamedRows<ReportData['totals']>(connection, 'report-totals'))[0]!,
    requests: await readNamedRows<ProvinceYearRequests>(connection, 'report-requests-by-province'),
    outcomes: await readNamedRows<YearOutcome>(connection, 'report-outcomes-by-year'),
    anomalies: await readNamedRows<SourceAnomalies>(connection, 'report-anomalies-by-source'),
    covered: await readNamedRows<{ provinceCode: string; year: number; governments: number }>(connection, 'report-coverage'),
  }));
  const { firstYear, lastYear } = rows.totals;
  const years = firstYear === null || lastYear === null ? [] : Array.from({ length: lastYear - firstYear + 1 }, (_, i) => firstYear + i);
  return {
    generatedAt: new Date().toISOString(),
    totals: rows.totals,
    years,
    requestsByProvince: rows.requests,
    outcomes: rows.outcomes,
    anomaliesBySource: rows.anomalies,
    coverage: coverageGrid(rows.covered, years, options.catalogFile),
    queries: {
      requests: query('report-requests-by-province'),
      outcomes: query('report-outcomes-by-year'),
      anomalies: query('report-anomalies-by-source'),
      coverage: query('report-coverage'),
    },
  };
}

/** Governments the catalog lists per province (its own, prefectures', counties'), against those with a report each year. */
function coverageGrid(
  covered: Array<{ provinceCode: string; year: number; governments: number }>,
  years: number[],
  catalogFile?: string,
): ProvinceCoverage[] {
  const provinces = new Map<string, { province: string; listed: number }>();
  for (const entry of readCatalog(catalogFile)) {
    if (!entry.regionCode) continue; // 重庆两江新区 and 新疆生产建设兵团 have no division code to match reports by
    const code = entry.regionCode.slice(0, 2);
    const province = provinces.get(code) ?? { province: code, listed: 0 };
    if (entry.level === 'province') province.province = entry.name;
    province.listed += 1;
    provinces.set(code, province);
  }
  const found = new Map(covered.map((row) => [`${row.provinceCode}:${row.year}`, row.governments]));
  return [...provinces.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([provinceCode, { province, listed }]) =>
      years.map((year) => ({ provinceCode, province, year, governments: found.get(`${provinceCode}:${year}`) ?? 0, listed })),
    );
}

/** Writes the page for the warehouse at `file` to `out` (via a temporary file); returns the resolved path. */
export async function writeReportPage(file: string, out: string, options: ReportOptions = {}): Promise<string> {
  const html = renderReportPage(await readReportData(file, options), options);
  const target = path.resolve(out);
  await writeFileAtomic(target, html);
  return target;
}

const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Numbers as the tables print them: `3,119`; a median to one decimal. */
export const formatFigure = (value: number): string => new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }).format(value);

/** An ECharts option per chart id, built here so that the page's own script only draws them. */
type ChartOptions = Record<string, unknown>;

/** The HTML page: tables and SQL as HTML, charts drawn by the inlined ECharts from their options as JSON. */
export function renderReportPage(data: ReportData, options: ReportOptions = {}): string {
  const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  const zone = options.timezone ?? 'Asia/Shanghai';
  const generated = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' }).format(
    new Date(data.generatedAt),
  );
  const provinces = uniqueProvinces(data.requestsByProvince);
  const charts: Record<string, ChartOptions> = {
    requests: provinceBars(data, provinces, (row) => row.newRequests, true),
    medians: provinceBars(data, provinces, (row) => row.medianRequests, true),
    outcomes: outcomeBars(data),
    coverage: coverageHeatmap(data),
    anomalies: anomalyBars(data),
  };
  const span = data.years.length ? `${data.years[0]}–${data.years.at(-1)}` : '无';
  const sections = [
    section(
      'requests',
      '本年新收政府信息公开申请数量 · 按省份和年度合计（对数刻度）',
      '表三「一、本年新收政府信息公开申请数量」总计列，按报告机关所在省份加总。纵轴为对数刻度，大小省份都看得见；0 在对数刻度上不画，见表。',
      provinceMatrix(data, provinces, (row) => formatFigure(row.newRequests)),
      data.queries.requests,
    ),
    section(
      'medians',
      '每个报告机关的新收申请数中位数 · 按省份和年度',
      '同一数据，取各省每份报告的中位数（对数刻度）：一个大机关不会掩盖其他机关。括号内为报告份数。',
      provinceMatrix(data, provinces, (row) => `${formatFigure(row.medianRequests)} (${row.reports})`),
      data.queries.requests,
    ),
    section(
      'outcomes',
      '本年度办理结果 · 按年度',
      '表三「三、本年度办理结果」各项总计列之和：予以公开、部分公开、不予公开、无法提供、不予处理、其他处理。图为各项占当年合计的百分比，表为申请数。',
      outcomeTable(data),
      data.queries.outcomes,
    ),
    section(
      'coverage',
      '覆盖率 · 已收录报告的政府 / 目录所列政府',
      '各省（含本级、地级、县级政府，不含部门）每年有年度报告入库的政府数，与全国门户目录所列政府数之比。',
      coverageTable(data),
      `${data.queries.coverage}\n-- 目录所列政府：sources/national/portals.jsonl（按区划代码前两位计数）`,
      24 * new Set(data.coverage.map((row) => row.provinceCode)).size + 100,
    ),
    section(
      'anomalies',
      '勾稽关系异常 · 按来源和复核状态',
      '最新报告中未通过勾稽关系检查或缺失的数字，按抓取来源与复核状态计数。',
      anomalyTable(data),
      data.queries.anomalies,
    ),
  ];
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告 · 数据报告</title>
<style>
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 24px; color: #222; max-width: 1100px; }
.chart { width: 100%; height: 420px; margin: 8px 0 12px; }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 3px 8px; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #f4f4f4; } td.gap { color: #aaa; text-align: center; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
.meta { color: #555; } section { margin-bottom: 40px; }
</style></head>
<body>
<h1>政府信息公开工作年度报告 · 数据报告</h1>
<p class="meta">${data.totals.reports} 份年度报告，${data.totals.issuers} 个报告机关，年度 ${escapeHtml(span)}。生成于 <time datetime="${escapeHtml(data.generatedAt)}">${escapeHtml(generated)}</time>（${escapeHtml(zone)}）。每张图下为其数据表与所用 SQL。</p>
${sections.join('\n')}
<script>${scriptSafe(echarts)}</script>
<script>
const charts = ${jsonInScript(charts)};
for (const [id, option] of Object.entries(charts)) echarts.init(document.getElementById(id)).setOption(option);
window.chartsRendered = true;
</script>
</body></html>
`;
}

function section(id: string, title: string, note: string, tableHtml: string, sql: string, heightPx?: number): string {
  const height = heightPx ? ` style="height:${heightPx}px"` : '';
  return `<section><h2>${escapeHtml(title)}</h2><p class="meta">${escapeHtml(note)}</p><div class="chart" id="${id}"${height}></div>
${tableHtml}<details><summary>SQL</summary><pre>${escapeHtml(sql.trim())}</pre></details></section>`;
}

function uniqueProvinces(rows: ProvinceYearRequests[]): Array<{ code: string; name: string }> {
  const names = new Map(rows.map((row) => [row.provinceCode, row.province]));
  return [...names.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, name]) => ({ code, name }));
}

/** Bars per province over every year; a year without data is a gap (null), not a dropped category. */
function provinceBars(
  data: ReportData,
  provinces: Array<{ code: string; name: string }>,
  value: (row: ProvinceYearRequests) => number,
  log: boolean,
): ChartOptions {
  const series = provinces.map(({ code, name }) => ({
    name,
    type: 'bar',
    data: data.years.map((year) => {
      const row = data.requestsByProvince.find((candidate) => candidate.provinceCode === code && candidate.year === year);
      if (!row) return null;
      const figure = value(row);
      return log && figure <= 0 ? null : figure; // a log axis has no 0
    }),
  }));
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { top: 40, left: 60, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: data.years.map(String) },
    yAxis: log ? { type: 'log', logBase: 10, min: 0.5, name: '申请数（对数）' } : { type: 'value', name: '申请数' },
    series,
  };
}

function provinceMatrix(
  data: ReportData,
  provinces: Array<{ code: string; name: string }>,
  cell: (row: ProvinceYearRequests) => string,
): string {
  const head = `<tr><th>省份</th>${data.years.map((year) => `<th>${year}</th>`).join('')}</tr>`;
  const body = provinces.map(({ code, name }) => {
    const cells = data.years.map((year) => {
      const row = data.requestsByProvince.find((candidate) => candidate.provinceCode === code && candidate.year === year);
      return row ? `<td class="n">${escapeHtml(cell(row))}</td>` : '<td class="gap">—</td>';
    });
    return `<tr><td>${escapeHtml(name)}</td>${cells.join('')}</tr>`;
  });
  return `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

const OUTCOMES = Object.keys(OUTCOME_LABELS) as Array<keyof typeof OUTCOME_LABELS>;

function outcomeFigure(data: ReportData, year: number, outcome: keyof typeof OUTCOME_LABELS): number | null {
  return data.outcomes.find((row) => row.year === year && row.outcome === outcome)?.requests ?? null;
}

function outcomeBars(data: ReportData): ChartOptions {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 60, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: data.years.map(String) },
    yAxis: { type: 'value', name: '占办理结果 %', max: 100 },
    // Shares, not counts: a year with few reports reads as clearly as a year with many (the counts are in the table).
    series: OUTCOMES.map((outcome) => ({
      name: OUTCOME_LABELS[outcome],
      type: 'bar',
      stack: 'results',
      data: data.years.map((year) => {
        const figure = outcomeFigure(data, year, outcome);
        const total = OUTCOMES.reduce((sum, each) => sum + (outcomeFigure(data, year, each) ?? 0), 0);
        return figure === null || total === 0 ? null : Math.round((1000 * figure) / total) / 10;
      }),
    })),
  };
}

function outcomeTable(data: ReportData): string {
  const head = `<tr><th>年度</th>${OUTCOMES.map((outcome) => `<th>${OUTCOME_LABELS[outcome]}</th>`).join('')}<th>合计</th></tr>`;
  const body = data.years.map((year) => {
    const figures = OUTCOMES.map((outcome) => outcomeFigure(data, year, outcome));
    const total = figures.reduce<number>((sum, figure) => sum + (figure ?? 0), 0);
    const cells = figures.map((figure) => (figure === null ? '<td class="gap">—</td>' : `<td class="n">${formatFigure(figure)}</td>`));
    const totalCell = figures.every((figure) => figure === null) ? '<td class="gap">—</td>' : `<td class="n">${formatFigure(total)}</td>`;
    return `<tr><td>${year}</td>${cells.join('')}${totalCell}</tr>`;
  });
  return `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

const coveragePercent = (row: ProvinceCoverage) => Math.round((1000 * row.governments) / row.listed) / 10;

function coverageHeatmap(data: ReportData): ChartOptions {
  const provinces = [...new Map(data.coverage.map((row) => [row.provinceCode, row.province])).values()];
  return {
    tooltip: { position: 'top' },
    grid: { top: 10, left: 130, right: 20, bottom: 70 },
    xAxis: { type: 'category', data: data.years.map(String), splitArea: { show: true } },
    yAxis: { type: 'category', data: provinces, inverse: true, axisLabel: { fontSize: 10 } },
    visualMap: {
      min: 0,
      max: 100,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      text: ['100%', '0%'],
      inRange: { color: ['#fee8c8', '#e34a33'] },
    },
    series: [
      {
        name: '覆盖率 %',
        type: 'heatmap',
        label: { show: true, fontSize: 9 },
        data: data.coverage.map((row) => [data.years.indexOf(row.year), provinces.indexOf(row.province), coveragePercent(row)]),
      },
    ],
  };
}

function coverageTable(data: ReportData): string {
  const head = `<tr><th>省份</th><th>目录所列政府</th>${data.years.map((year) => `<th>${year}</th>`).join('')}</tr>`;
  const byProvince = new Map<string, ProvinceCoverage[]>();
  for (const row of data.coverage) byProvince.set(row.provinceCode, [...(byProvince.get(row.provinceCode) ?? []), row]);
  const body = [...byProvince.values()].map((rows) => {
    const cells = rows.map((row) => `<td class="n">${row.governments} (${coveragePercent(row)}%)</td>`);
    return `<tr><td>${escapeHtml(rows[0]!.province)}</td><td class="n">${rows[0]!.listed}</td>${cells.join('')}</tr>`;
  });
  return `<table><thead>${head}</thead><tbody>${body.join('')}</tbody></table>`;
}

function anomalyBars(data: ReportData): ChartOptions {
  const sources = [...new Set(data.anomaliesBySource.map((row) => row.sourceId))];
  const states = [...new Set(data.anomaliesBySource.map((row) => row.reviewState))];
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { top: 40, left: 60, right: 20, bottom: 30 },
    xAxis: { type: 'category', data: sources },
    yAxis: { type: 'value', name: '异常数' },
    series: states.map((state) => ({
      name: REVIEW_LABELS[state] ?? state,
      type: 'bar',
      stack: 'all',
      data: sources.map(
        (source) => data.anomaliesBySource.find((row) => row.sourceId === source && row.reviewState === state)?.anomalies ?? 0,
      ),
    })),
  };
}

function anomalyTable(data: ReportData): string {
  const rows = data.anomaliesBySource.map(
    (row) =>
      `<tr><td>${escapeHtml(row.sourceId)}</td><td>${escapeHtml(REVIEW_LABELS[row.reviewState] ?? row.reviewState)}</td><td class="n">${formatFigure(row.anomalies)}</td></tr>`,
  );
  return `<table><thead><tr><th>来源</th><th>复核状态</th><th>异常数</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Keeps inline text from closing its <script> early. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

/** JSON inside <script>: every `<` escaped, so no portal string (a source id) can open or close a tag. */
function jsonInScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}
