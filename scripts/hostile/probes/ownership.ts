/**
 * Report ownership (issue #14, hole 5): a copy of a real report with letters in its number cells, served later by a
 * portal that does not speak for the issuer, must not take over the issuer's row in report_summary; it is kept,
 * and the disagreement waits in the review queue as an ownership_conflict.
 */
import { runReadOnlySql } from '../../../load/index.ts';
import { retryWhileLocked } from '../../../load/retry-locked.ts';
import { loadPlantedData } from '../../../simulator/planted-data.ts';
import { renderStandaloneReport } from '../../../simulator/report-html.ts';
import { accepted, refused, type Probe } from '../probe.ts';
import { crawlRun, startHostilePortal, startPipeline } from '../support.ts';

const HTML = 'text/html; charset=utf-8';

/** Every table cell holding only a number gets letters instead (the parser then reads the figure as blank). */
function letterNumbers(html: string): string {
  return html.replace(
    /(<td[^>]*>\s*)(\d+)(\s*<\/td>)/g,
    (_match, open: string, digits: string, close: string) => `${open}${'O'.repeat(digits.length)}${close}`,
  );
}

export const probes: Probe[] = [
  {
    name: 'ownership-lettered-copy-from-unrelated-source',
    boundary: 'ownership',
    description:
      "a later copy of a report with letters for figures, from a portal that does not speak for the issuer, after the owner's report",
    timeoutSecs: 120,
    async run(context) {
      const report = loadPlantedData().reports.find((candidate) => candidate.format === '2021' && candidate.level !== 'department')!;
      const original = renderStandaloneReport(report);
      const config = context.configWith({ allowPrivateNetworks: true });
      const running = await startPipeline(context, config);
      const owner = await startHostilePortal(
        context,
        { '/nb/report.html': { contentType: HTML, body: original } },
        { id: `gov-${report.regionCode}`, regionCode: report.regionCode, name: report.issuer, publishedAt: report.publishedAt },
      );
      const mirror = await startHostilePortal(
        context,
        { '/nb/copy.html': { contentType: HTML, body: letterNumbers(original) } },
        { id: 'mirror-elsewhere', publishedAt: `${report.year + 1}-12-31` },
      );
      await crawlRun(context, running, [owner.source]);
      await crawlRun(context, running, [mirror.source]);

      const sql = (text: string) => retryWhileLocked(() => runReadOnlySql(config.duckdbPath, text));
      const issuer = report.issuer.replaceAll("'", "''");
      const reports = await sql(
        `select source_id, count(*) from reports where issuer = '${issuer}' and year = ${report.year} group by all order by all`,
      );
      context.log(`reports of ${report.issuer} ${report.year}: ${JSON.stringify(reports.rows)}`);
      if (reports.rows.length < 2)
        return accepted(`the copy was not loaded as a report of the same issuer and year: ${JSON.stringify(reports.rows)}`);
      const summary = await sql(`select source_id, new_requests from report_summary where issuer = '${issuer}' and year = ${report.year}`);
      const planted = report.cells['t3.new_received.total'];
      const [sourceId, newRequests] = summary.rows[0] ?? [];
      if (sourceId !== owner.source.id || newRequests !== planted)
        return accepted(`report_summary now shows source ${sourceId}, new_requests ${newRequests} (planted ${planted})`);
      const review = await sql(
        `select anomaly_id, detail from anomaly_review where issuer = '${issuer}' and year = ${report.year} and kind = 'ownership_conflict'`,
      );
      if (review.rows.length !== 1)
        return accepted(`the owner's row held, but no ownership_conflict waits for review: ${JSON.stringify(review.rows)}`);
      return refused(`report_summary kept ${sourceId}'s figures (new_requests ${newRequests}); review queue: ${review.rows[0]![0]}`);
    },
  },
];
