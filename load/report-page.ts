/**
 * A self-contained HTML page of charts over the warehouse — requests over the years per province, the mix of
 * outcomes, anomalies by source — with ECharts inlined, so the file opens anywhere without network access.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../shared/files.ts';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runReadOnlySql } from './sql.ts';

/** The figures behind the charts, as plain rows. */
export interface ReportData {
  requestsByProvince: Array<{ province: string; year: number; new_requests: number | null }>;
  outcomes: Array<{ outcome: string; requests: number | null }>;
  anomaliesBySource: Array<{ source_id: string; review_state: string; anomalies: number }>;
  reports: number;
}

const QUERIES = {
  requestsByProvince: `select region_name as province, year, new_requests from region_year_rollup
                        where region_level = 'province' order by province, year`,
  outcomes: `unpivot (select sum(granted) as granted, sum(partial) as partial, sum(denied) as denied, sum(unable) as unable,
                             sum(not_processed) as not_processed from report_summary)
               on granted, partial, denied, unable, not_processed into name outcome value requests`,
  anomaliesBySource: `select source_id, review_state, count(*) as anomalies from anomaly_review
                       group by all order by source_id, review_state`,
  reports: 'select count(*) as reports from latest_reports',
} as const;

/** Reads the chart data from the warehouse (read-only). */
export async function readReportData(file: string): Promise<ReportData> {
  const objects = async (sql: string) => {
    const result = await runReadOnlySql(file, sql);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column, row[i]])));
  };
  return {
    requestsByProvince: (await objects(QUERIES.requestsByProvince)) as ReportData['requestsByProvince'],
    outcomes: (await objects(QUERIES.outcomes)) as ReportData['outcomes'],
    anomaliesBySource: (await objects(QUERIES.anomaliesBySource)) as ReportData['anomaliesBySource'],
    reports: Number((await objects(QUERIES.reports))[0]?.reports ?? 0),
  };
}

/** Writes the page for the warehouse at `file` to `out` (via a temporary file); returns the resolved path. */
export async function writeReportPage(file: string, out: string): Promise<string> {
  const html = renderReportPage(await readReportData(file));
  const target = path.resolve(out);
  await writeFileAtomic(target, html);
  return target;
}

/** The HTML page: data as JSON, ECharts inline, one chart per figure. */
export function renderReportPage(data: ReportData): string {
  const echarts = readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>yangguang — 政府信息公开年度报告 figures</title>
<style>
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 24px; color: #222; }
.chart { width: 100%; max-width: 960px; height: 380px; margin-bottom: 32px; }
</style></head>
<body>
<h1>政府信息公开工作年度报告: ${data.reports} reports</h1>
<h2>New requests per year, by province</h2><div class="chart" id="requests"></div>
<h2>Outcomes of the requests answered</h2><div class="chart" id="outcomes"></div>
<h2>Anomalies by source and review state</h2><div class="chart" id="anomalies"></div>
<script>${scriptSafe(echarts)}</script>
<script>
const data = ${scriptSafe(JSON.stringify(data))};
${CHART_SCRIPT}
</script>
</body></html>
`;
}

/** Keeps inline text from closing its <script> early. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1');
}

const CHART_SCRIPT = `
const years = [...new Set(data.requestsByProvince.map((row) => row.year))].sort();
const provinces = [...new Set(data.requestsByProvince.map((row) => row.province))];
echarts.init(document.getElementById('requests')).setOption({
  tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'category', data: years.map(String) }, yAxis: { type: 'value' },
  series: provinces.map((province) => ({
    name: province, type: 'bar',
    data: years.map((year) => data.requestsByProvince.find((row) => row.province === province && row.year === year)?.new_requests ?? null),
  })),
});
echarts.init(document.getElementById('outcomes')).setOption({
  tooltip: { trigger: 'item' }, legend: {},
  series: [{ type: 'pie', radius: '60%', data: data.outcomes.map((row) => ({ name: row.outcome, value: row.requests ?? 0 })) }],
});
const sources = [...new Set(data.anomaliesBySource.map((row) => row.source_id))];
const states = [...new Set(data.anomaliesBySource.map((row) => row.review_state))];
echarts.init(document.getElementById('anomalies')).setOption({
  tooltip: { trigger: 'axis' }, legend: {}, xAxis: { type: 'category', data: sources }, yAxis: { type: 'value' },
  series: states.map((state) => ({
    name: state, type: 'bar', stack: 'all',
    data: sources.map((source) => data.anomaliesBySource.find((row) => row.source_id === source && row.review_state === state)?.anomalies ?? 0),
  })),
});
window.chartsRendered = true;
`;
