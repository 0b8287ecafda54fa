/**
 * A TRS-style site full of duplicates and sub-columns: every report also linked as its `_wap.html` twin, year
 * sub-columns (2023年, 2022年), a department sub-column (部门年报) re-listing a report, one report as HTML and PDF,
 * and one report split over two pages (t…_1.html, which belongs to its article rather than being a document).
 */
import { html, type Reply } from '../http-util.ts';
import { listRow, page, reportPage, routes, siteItems, sitePdf, type SiteBuild, type SiteItem } from './site-kit.ts';

interface Placed {
  item: SiteItem;
  detailPath: string;
  extraPaths: string[];
}

/** Builds the duplicates site: 4 reports in two year sub-columns, 1 department report. */
export function buildDuplicatesSite(): SiteBuild {
  const items = siteItems('dup', '重复县人民政府', 4, 6);
  const department = siteItems('dup-dept', '重复县教育局', 1, 7)[0]!;
  const table = new Map<string, () => Reply>();
  const placed: Placed[] = items.map((item, index) => {
    const folder = index < 2 ? '/xxgk/nb/2023n/' : '/xxgk/nb/2022n/';
    const detailPath = `${folder}202401/t2024014${index}_60000${index}.html`;
    return { item, detailPath, extraPaths: [] };
  });
  // Report 0: HTML and its PDF. Report 1: two pages.
  const pdfPath = placed[0]!.detailPath.replace(/t\d+_\d+\.html$/, 'P020240140123456789012.pdf');
  placed[0]!.extraPaths.push(pdfPath);
  // The second part is not a document of its own: the crawler reports it with its article.
  const partPath = placed[1]!.detailPath.replace(/\.html$/, '_1.html');
  table.set(pdfPath, () => sitePdf(placed[0]!.item));
  table.set(partPath, () => html(page(placed[1]!.item.title, '<div id="zoom"><p>（续）六、其他需要报告的事项</p></div>')));
  const articlePager = (path: string) =>
    `<div id="autopage"><script>var countPage = 2; createPageHTML(countPage, 0, "${path.split('/').pop()!.replace('.html', '')}", "html");</script></div>`;
  placed.forEach(({ item, detailPath }, index) => {
    const extra =
      index === 0
        ? `<div class="fj">附件：<a href="./${pdfPath.split('/').pop()}">${item.title}.pdf</a></div>`
        : index === 1
          ? articlePager(detailPath)
          : '';
    table.set(detailPath, () => html(reportPage(item, extra)));
    table.set(detailPath.replace(/\.html$/, '_wap.html'), () => html(reportPage(item, extra)));
  });
  const rowsOf = (subset: Placed[]) =>
    subset
      .flatMap(({ item, detailPath }) => [
        listRow(detailPath, item.title, item.publishedAt),
        listRow(detailPath.replace(/\.html$/, '_wap.html'), item.title, item.publishedAt),
      ])
      .join('');
  const departmentPath = '/xxgk/bmnb/202401/t20240150_500001.html';
  table.set(departmentPath, () => html(reportPage(department)));
  table.set('/xxgk/nb/index.html', () =>
    html(
      page(
        '政府信息公开年报',
        `<div class="tabs"><a href="2023n/index.html">2023年</a><a href="2022n/index.html">2022年</a><a href="../bmnb/index.html">部门年报</a></div>`,
      ),
    ),
  );
  table.set('/xxgk/nb/2023n/index.html', () => html(page('2023年', `<ul>${rowsOf(placed.slice(0, 2))}</ul>`)));
  table.set('/xxgk/nb/2022n/index.html', () => html(page('2022年', `<ul>${rowsOf(placed.slice(2))}</ul>`)));
  // The department column re-lists report 2 (a duplicate posting) beside its own report.
  table.set('/xxgk/bmnb/index.html', () =>
    html(page('部门年报', `<ul>${listRow(departmentPath, department.title, department.publishedAt)}${rowsOf(placed.slice(2, 3))}</ul>`)),
  );
  return {
    id: 'duplicates',
    name: '重复县人民政府',
    startPaths: ['/xxgk/nb/index.html'],
    handler: routes(table),
    planted: [
      ...placed.map(({ item, detailPath, extraPaths }) => ({ id: item.id, title: item.title, documentPaths: [detailPath, ...extraPaths] })),
      { id: department.id, title: department.title, documentPaths: [departmentPath] },
    ],
  };
}
