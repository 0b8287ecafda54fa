import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Platform } from '../catalog-types.ts';
import { platformOfHtml, platformOfUrl, recognizePlatform } from './platform.ts';
import { canonicalColumnUrl, columnFromReportUrl, isSingleArticleUrl } from './report-url.ts';

/**
 * Every row of /work/shared/catalog/report-columns.tsv: issuer, the report (or column) address seen, the column it sits
 * in (null where the catalog says it cannot be derived from the address), and the platform the address shows.
 * Addresses are facts used as strings; nothing here is fetched.
 */
const CATALOG_ROWS: [issuer: string, reportUrl: string, column: string | null, platform: Platform][] = [
  [
    '龙游县人民政府办公室',
    'https://www.longyou.gov.cn/art/2024/1/30/art_1229114055_89890.html',
    'https://www.longyou.gov.cn/col/col1229114055/index.html',
    'hanweb',
  ],
  ['合江县', 'https://www.hejiang.gov.cn/gk/zfxxgknb/xxgkndbg1/content_184762', 'https://www.hejiang.gov.cn/gk/zfxxgknb/', 'other'],
  ['吴起县', 'http://www.wqx.gov.cn/zfxxgk/zfxxgknb/xj/1753311688616128514.html', 'http://www.wqx.gov.cn/zfxxgk/zfxxgknb/xj/', 'other'],
  [
    '交口县',
    'http://www.jiaokou.gov.cn/zwgk/zfxxgk/xxgknb/xinxinianbao/202403/t20240308_1847723.shtml',
    'http://www.jiaokou.gov.cn/zwgk/zfxxgk/xxgknb/',
    'trs',
  ],
  ['徐水区', 'https://xushui.gov.cn/zfxxgk/zfgknb/2023/666160586494021.html', 'https://xushui.gov.cn/zfxxgk/zfgknb/', 'other'],
  [
    '宽城满族自治县政府办',
    'http://www.hbkc.gov.cn/art/2024/1/26/art_5985_984980.html',
    'http://www.hbkc.gov.cn/col/col5985/index.html',
    'hanweb',
  ],
  [
    '藁城区',
    'http://gc.gov.cn/columns/0772e821-5733-421d-82e7-f545c5729b9e/202302/13/67eb2365-22bc-45b5-be58-199b9683883a.html',
    'http://gc.gov.cn/columns/0772e821-5733-421d-82e7-f545c5729b9e/',
    'hebei-columns',
  ],
  ['洪雅县', 'https://www.schy.gov.cn/zfxxgk/zfxxgknb/n2022n/xz/zgz.htm', 'https://www.schy.gov.cn/zfxxgk/zfxxgknb/', 'static'],
  [
    '霍城县',
    'https://www.xjhc.gov.cn/xjhc/C116872/202601/2b5e35775e1d485e93df428fdbdb3f9c.shtml',
    'https://www.xjhc.gov.cn/xjhc/C116872/',
    'other',
  ],
  ['平利县', 'https://www.pingli.gov.cn/Content-2793487.html', null, 'other'],
  ['攸县人民政府办公室', 'http://www.hnyx.gov.cn/c26829/20250126/i2310545.html', 'http://www.hnyx.gov.cn/c26829/', 'hunan'],
  [
    '东宝区',
    'https://www.jingmen.gov.cn/art/2022/1/29/art_17801_867943.html',
    'https://www.jingmen.gov.cn/col/col17801/index.html',
    'hanweb',
  ],
  [
    '荆州区人民政府办公室',
    'http://www.jingzhouqu.gov.cn/xxgk/xxgkml/bmzfxxgknb/202202/t20220218_698433.shtml',
    'http://www.jingzhouqu.gov.cn/xxgk/xxgkml/bmzfxxgknb/',
    'trs',
  ],
  [
    '番禺区',
    'http://www.panyu.gov.cn/zwgk/zfxxgk/zfxxgknb/bm/mb2021/content/post_8040242.html',
    'http://www.panyu.gov.cn/zwgk/zfxxgk/zfxxgknb/',
    'gd-content',
  ],
  ['子长市', 'http://www.zichang.gov.cn/zfxxgk/zfxxgknb/szfnb/2022n/1.html', 'http://www.zichang.gov.cn/zfxxgk/zfxxgknb/', 'other'],
  [
    '高平市人民政府办公室',
    'http://xxgk.sxgp.gov.cn/gzbm/zfbgs/zfxxgknb/202301/t20230118_1734687.shtml',
    'http://xxgk.sxgp.gov.cn/gzbm/zfbgs/zfxxgknb/',
    'trs',
  ],
  [
    '兴仁市',
    'http://www.qxn.gov.cn/zfxxgk/zfxxgknb/2022n/xs/202303/t20230320_78593121.html',
    'http://www.qxn.gov.cn/zfxxgk/zfxxgknb/2022n/xs/',
    'trs',
  ],
  ['安宁市', 'http://www.kman.gov.cn/c/2023-02-06/6500599.shtml', null, 'kunming'],
  ['寻甸县', 'http://xd.km.gov.cn/zfxxgkml/zfxxgkndbg/', 'http://xd.km.gov.cn/zfxxgkml/zfxxgkndbg/', 'other'],
  ['禄劝县', 'http://lq.km.gov.cn/zfxxgkml/zfxxgkndbg/', 'http://lq.km.gov.cn/zfxxgkml/zfxxgkndbg/', 'other'],
  [
    '水城区',
    'http://www.shuicheng.gov.cn/newsite/zwgk/zfxxgk_1/zfxxgknb/nb_2022n/',
    'http://www.shuicheng.gov.cn/newsite/zwgk/zfxxgk_1/zfxxgknb/nb_2022n/',
    'trs',
  ],
  [
    '密云区',
    'https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/gknb2017/201802/t20180223_195744.html',
    'https://www.bjmy.gov.cn/zwgk/zfxxgk/zfxxgknb/',
    'trs',
  ],
  ['会昌县', 'http://xxgk.huichang.gov.cn/xxgknb/', 'http://xxgk.huichang.gov.cn/xxgknb/', 'other'],
  [
    '如东县人民政府办公室',
    'http://www.rudong.gov.cn/rdxrmzf/zfxxgknb/content/a4ef1570-4339-4da8-946a-1af861aab40b.html',
    'http://www.rudong.gov.cn/rdxrmzf/zfxxgknb/',
    'jiangsu',
  ],
  ['荔湾区', 'http://www.lw.gov.cn/zwgkk/bmxxgkndbg/content/post_9432878.html', 'http://www.lw.gov.cn/zwgkk/bmxxgkndbg/', 'gd-content'],
  ['柳南区人民政府', 'http://liunan.gov.cn/xxgk/zfxxgknb/t19700101_3441457.shtml', 'http://liunan.gov.cn/xxgk/zfxxgknb/', 'trs'],
  ['甘谷县人民政府办公室', 'http://www.gangu.gov.cn/info/2381/644672.htm', null, 'vsb'],
  ['府谷县人民政府办公室', 'http://fg.gov.cn/info/1648/47211.htm', null, 'vsb'],
  ['民勤县', 'http://www.minqin.gov.cn/art/2023/1/9/art_4130_1008527.html', 'http://www.minqin.gov.cn/col/col4130/index.html', 'hanweb'],
  [
    '永嘉县溪下乡',
    'http://www.yj.gov.cn/art/2024/1/16/art_1229779591_86714.html',
    'http://www.yj.gov.cn/col/col1229779591/index.html',
    'hanweb',
  ],
  ['柳城县古砦乡', 'http://www.liucheng.gov.cn/bmxzjy/wjlxxgk/202601/t20260121_3716019.shtml', null, 'trs'],
  [
    '临洮县新添镇',
    'http://www.lintao.gov.cn/art/2023/1/31/art_6924_1618518.html',
    'http://www.lintao.gov.cn/col/col6924/index.html',
    'hanweb',
  ],
  [
    '会宁县甘沟驿镇',
    'https://www.huining.gov.cn/xxgk/xzxxgk/ggyz/zfxxgknb/2022n/art/2023/art_711f41936ac041df93654ddf8a0070e7.html',
    'https://www.huining.gov.cn/xxgk/xzxxgk/ggyz/zfxxgknb/',
    'hanweb',
  ],
  ['独山子区某局', 'http://zmhd.dsz.gov.cn/pages/xxgk/PublicDetail.aspx?id=100000000000438172&title=', null, 'aspnet'],
  [
    '广州市人民政府办公厅',
    'https://gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/bm/2024n/content/post_10095458.html',
    'https://gz.gov.cn/zfjgzy/gzsrmzfbgt/zfxxgknb/',
    'gd-content',
  ],
  ['南平市人民政府', 'https://www.np.gov.cn/cms/html/npszf/2013-01-25/1779102018.html', null, 'other'],
  [
    '丽水市人民政府',
    'http://www.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=113325000026455663',
    'http://www.lishui.gov.cn/module/xxgk/xxgkAnnualReport.jsp?fbtime=2017&area=113325000026455663',
    'hanweb',
  ],
  ['邯郸市', 'http://hdzfxxgk.hd.gov.cn/zfxxgknb/', 'http://hdzfxxgk.hd.gov.cn/zfxxgknb/', 'other'],
  [
    '河北省人民政府',
    'https://www.hebei.gov.cn/columns/8aef2fa0-cc14-409e-9f68-fbdba00a0c72/202308/21/720faafd-6610-4d9e-9cc8-9e0f056c2101.html',
    'https://www.hebei.gov.cn/columns/8aef2fa0-cc14-409e-9f68-fbdba00a0c72/',
    'hebei-columns',
  ],
  [
    '浙江省人民政府办公厅',
    'http://zfxxgk.zj.gov.cn/xxgk/jcms_files/jcms1/web1/site/art/2015/3/27/art_10758_1184502.html',
    'http://zfxxgk.zj.gov.cn/xxgk/jcms_files/jcms1/web1/site/col/col10758/',
    'hanweb',
  ],
  [
    '湖南省人民政府',
    'http://hunan.gov.cn/hnszf/xxgk/zfxxgknb/szf_97943/201711/t20171129_4878215.html',
    'http://hunan.gov.cn/hnszf/xxgk/zfxxgknb/',
    'trs',
  ],
  [
    '上海市人民政府',
    'https://shanghai.gov.cn/nw12344/20230331/4a03b5fa47ae4c73b7ec42801de6be66.html',
    'https://shanghai.gov.cn/nw12344/',
    'other',
  ],
  [
    '山东省人民政府',
    'http://www.shandong.gov.cn/art/2018/3/29/art_97672_8606673.html',
    'http://www.shandong.gov.cn/col/col97672/index.html',
    'hanweb',
  ],
  ['广西壮族自治区人民政府办公厅', 'http://www.gxzf.gov.cn/gggs/t7893462.shtml', null, 'trs'],
  ['安徽省人民政府', 'http://xxgk.ah.gov.cn/UserData/DocHtml/731/2018/3/26/3618558579887.html', null, 'other'],
  [
    '白城市农业农村局',
    'http://xxgk.jlbc.gov.cn/zcbm/fgw_97987/ndbg/202501/t20250126_1007407.html',
    'http://xxgk.jlbc.gov.cn/zcbm/fgw_97987/ndbg/',
    'trs',
  ],
  ['昆明市人社局', 'https://rsj.km.gov.cn/zfxxgk/zfxxgknb/', 'https://rsj.km.gov.cn/zfxxgk/zfxxgknb/', 'other'],
  ['昆明市财政局', 'https://czj.km.gov.cn/zfxxgk/zfxxgknb/', 'https://czj.km.gov.cn/zfxxgk/zfxxgknb/', 'other'],
  [
    '北京市住建委',
    'http://zfxxgk.beijing.gov.cn/110016/zfxxgknb/list.shtml',
    'http://zfxxgk.beijing.gov.cn/110016/zfxxgknb/list.shtml',
    'other',
  ],
  ['陕西省中医药管理局', 'http://atcm.shaanxi.gov.cn/zfxxgk/zfxxgknb/', 'http://atcm.shaanxi.gov.cn/zfxxgk/zfxxgknb/', 'other'],
  ['延安市教育局', 'https://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/1.html', 'https://jyj.yanan.gov.cn/zfxxgk/zfxxgknb/1.html', 'other'],
  ['黔南州民政局', 'https://mzj.qiannan.gov.cn/zwgk_500428/xxgknb/', 'https://mzj.qiannan.gov.cn/zwgk_500428/xxgknb/', 'trs'],
  ['广东省中医药局', 'http://szyyj.gd.gov.cn/zwgk/xxgknb/', 'http://szyyj.gd.gov.cn/zwgk/xxgknb/', 'other'],
  ['武汉市民政局', 'https://mzj.wuhan.gov.cn/zwgk_918/xxgknb/', 'https://mzj.wuhan.gov.cn/zwgk_918/xxgknb/', 'trs'],
  ['曲靖市人社局', 'https://rsj.qj.gov.cn/list/xxgknb/auto/124.html', 'https://rsj.qj.gov.cn/list/xxgknb/auto/124.html', 'other'],
  ['海口市人社局', 'https://rsj.haikou.gov.cn/xxgk/xxgknb/', 'https://rsj.haikou.gov.cn/xxgk/xxgknb/', 'other'],
  ['江苏省民政厅', 'https://mzt.jiangsu.gov.cn/col/col90135/index.html', 'https://mzt.jiangsu.gov.cn/col/col90135/index.html', 'hanweb'],
  ['广西自治区北部湾办', 'http://bbwb.gxzf.gov.cn/zwgk/H1_/N1_/t15699357.shtml', null, 'trs'],
  [
    '中国证监会',
    'http://www.csrc.gov.cn/csrc/c100028/common_zfxxgknb.shtml',
    'http://www.csrc.gov.cn/csrc/c100028/common_zfxxgknb.shtml',
    'other',
  ],
  ['退役军人事务部', 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/', 'https://www.mva.gov.cn/gongkai/zfxxgkpt/zfxxgknb/', 'other'],
  ['水利部', 'http://zwgk.mwr.gov.cn/zfxxgkndbg/', 'http://zwgk.mwr.gov.cn/zfxxgkndbg/', 'other'],
];

test('report-columns.tsv holds 61 rows, all of them covered', () => {
  assert.equal(CATALOG_ROWS.length, 61);
});

for (const [issuer, reportUrl, column, platform] of CATALOG_ROWS) {
  test(`${issuer}: ${reportUrl} sits in ${column ?? 'a column its address does not name'} (${platform})`, () => {
    assert.equal(columnFromReportUrl(reportUrl), column);
    assert.equal(platformOfUrl(reportUrl) ?? 'other', platform);
  });
}

test('a column derived from a report is never itself a single article', () => {
  for (const [, reportUrl] of CATALOG_ROWS) {
    const column = columnFromReportUrl(reportUrl);
    if (column) assert.equal(isSingleArticleUrl(column), false, column);
  }
});

test('tells single articles from list pages', () => {
  const articles = [
    'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/202301/t20230118_1234567.html',
    'http://www.demo-xian.gov.cn/art/2023/1/18/art_28956_3301122.html',
    'http://www.demo-xian.gov.cn/info/1677/56001.htm',
    'http://www.demo-qu.gov.cn/gkmlpt/content/3/3100/post_3100457.html',
    'http://www.demo-xian.gov.cn/c26829/20250126/i2310545.html',
    'http://www.demo-xian.gov.cn/Content-2793487.html',
    'http://www.demo-xian.gov.cn/pages/xxgk/PublicDetail.aspx?id=100000000000438172',
    'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/P020220120512345679012.pdf',
    'http://www.demo-xian.gov.cn/zfxxgk/zfxxgknb/xj/1753311688616128514.html',
    'http://www.demo-xian.gov.cn/zfxxgknb/2022n/4471.htm',
  ];
  const lists = [
    'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/',
    'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/index_2.html',
    'http://www.demo-xian.gov.cn/col/col28956/index.html',
    'http://www.demo-xian.gov.cn/zfxxgk/zfxxgknb/1.html',
    'http://www.demo-xian.gov.cn/zwgk.htm',
    'http://www.demo-qu.gov.cn/gkmlpt/annualreport',
    'http://www.demo-shi.gov.cn/zwgk/xqnb/x620721.htm', // a VSB column named by a county's code
    'http://www.demo-xian.gov.cn/zfxxgk/zfxxgknb/2022.htm',
  ];
  for (const url of articles) assert.equal(isSingleArticleUrl(url), true, url);
  for (const url of lists) assert.equal(isSingleArticleUrl(url), false, url);
});

test('recognises platforms by the markers of their pages', () => {
  const cases: [string, Platform | null][] = [
    ['<script>var countPage = 3; createPageHTML(countPage, 0, "index", "html");</script>', 'trs'],
    ['<div class="TRS_Editor"><p>…</p></div>', 'trs'],
    [
      '<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1"></a>]]></nextgroup></datastore></script>',
      'hanweb',
    ],
    ['<div id="vsb_content"><div class="v_news_content"></div></div>', 'vsb'],
    ["<script>window._CONFIG = {SID:'744031', TREE:[]};</script>", 'gkmlpt'],
    ['<div class="ewb-job"><ul><li><a href="#">x</a></li></ul></div>', 'epoint'],
    ['<input type="hidden" name="__VIEWSTATE" value="abc">', 'aspnet'],
    ['<p>一个普通的页面</p>', null],
  ];
  for (const [html, platform] of cases) assert.equal(platformOfHtml(html), platform, html);
});

test('without markers, a home page is recognised by the shapes of the addresses it links to', () => {
  const links = [
    'http://www.demo-xian.gov.cn/col/col123/index.html',
    'http://www.demo-xian.gov.cn/art/2024/1/2/art_123_456.html',
    'http://www.demo-xian.gov.cn/art/2024/1/3/art_123_457.html',
    'http://www.demo-xian.gov.cn/zwgk/202401/t20240102_1.html',
  ];
  assert.equal(recognizePlatform('<html></html>', links), 'hanweb');
  assert.equal(recognizePlatform('<html></html>', ['http://x.gov.cn/about.htm']), 'static');
  assert.equal(recognizePlatform('<html></html>', []), 'other');
});

test('writes each column address in one form', () => {
  assert.equal(canonicalColumnUrl('http://www.demo-xian.gov.cn/col/col28956/'), 'http://www.demo-xian.gov.cn/col/col28956/index.html');
  assert.equal(canonicalColumnUrl('http://www.demo-xian.gov.cn/zwgk/zfxxgknb/index.shtml'), 'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/');
  assert.equal(canonicalColumnUrl('http://www.demo-xian.gov.cn/zwgk/zfxxgknb/#top'), 'http://www.demo-xian.gov.cn/zwgk/zfxxgknb/');
  assert.equal(
    canonicalColumnUrl('http://zfxxgk.zj.gov.cn/xxgk/jcms_files/jcms1/web1/site/col/col10758/'),
    'http://zfxxgk.zj.gov.cn/xxgk/jcms_files/jcms1/web1/site/col/col10758/',
  );
  assert.equal(
    canonicalColumnUrl('http://www.demo-xian.gov.cn/pages/xxgk/List.aspx?cid=12'),
    'http://www.demo-xian.gov.cn/pages/xxgk/List.aspx?cid=12',
  );
});
