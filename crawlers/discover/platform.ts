/**
 * Which portal software served a page, from its addresses and markers in its HTML (PORTALS.md §1 and §6). A guess that
 * tells the crawler how lists page and how report addresses are cut into columns; 'other' when nothing matches.
 */
import type { Platform } from '../catalog-types.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Address shapes, most specific first: a TRS `t…` file inside a gkmlpt tree is still gkmlpt. */
const URL_SHAPES: { platform: Platform; shape: RegExp }[] = [
  { platform: 'gkmlpt', shape: /\/gkmlpt\//i },
  { platform: 'gd-content', shape: /\/content\/(m?post_\d+)\.html$/i },
  { platform: 'hebei-columns', shape: new RegExp(`/columns/${UUID}/`, 'i') },
  { platform: 'hunan', shape: /\/c\d+\/\d{8}\/i\d+\.html$/i },
  { platform: 'kunming', shape: /\/c\/\d{4}-\d{2}-\d{2}\/\d+\.shtml$/i },
  { platform: 'jiangsu', shape: new RegExp(`/[\\w-]+/[\\w-]+/content/${UUID}\\.html$`, 'i') },
  {
    platform: 'hanweb',
    shape:
      /\/art\/\d{4}\/\d{1,2}\/\d{1,2}\/art_\d+_\d+\.html$|\/art\/\d{4}\/art_[0-9a-f]{32}\.html$|\/col\/col\d+\/|\/jpage\/|dataproxy\.jsp|xxgkAnnualReport\.jsp|jcms_files/i,
  },
  { platform: 'vsb', shape: /\/info\/\d+\/\d+\.htm$/i },
  // TRS detail files: t + date + _ + id, or t + id alone on older sites; channel-id suffixed folders (zwgk_270).
  { platform: 'trs', shape: /\/t(\d{8}_\d+(_\d+)?(_wap)?|\d{7,})\.s?html?$|\/[a-z]+_\d+\//i },
  { platform: 'epoint', shape: /\/iList\.jsp|\/ewb-/i },
  { platform: 'aspnet', shape: /\.aspx$/i },
  { platform: 'static', shape: /\.htm$/i },
];

/** HTML markers, checked when the addresses say nothing. */
const HTML_MARKERS: { platform: Platform; marker: RegExp }[] = [
  { platform: 'gkmlpt', marker: /\/gkmlpt\/|window\._CONFIG\s*=\s*\{\s*SID/ },
  { platform: 'hanweb', marker: /dataproxy\.jsp|\/jpage\/|ZJEG_RSS|xxgkAnnualReport\.jsp|name="i_columnid"/ },
  { platform: 'trs', marker: /createPageHTML|TRS_Editor|trs_editor_view|list2\.trsapi/i },
  { platform: 'vsb', marker: /vsb_content|_showDynClicks|_newscontent_fromname/ },
  { platform: 'epoint', marker: /class="ewb-/ },
  { platform: 'aspnet', marker: /__VIEWSTATE/ },
];

/** The platform an address shows, or null when its shape is not one of the known families. */
export function platformOfUrl(url: string): Platform | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  return URL_SHAPES.find(({ shape }) => shape.test(path))?.platform ?? null;
}

/** The platform a page's HTML shows by its scripts and class names, or null. */
export function platformOfHtml(html: string): Platform | null {
  return HTML_MARKERS.find(({ marker }) => marker.test(html))?.platform ?? null;
}

/**
 * The platform of a site from one of its pages: the page's markers, else the commonest shape among the addresses it
 * links to (a home page's own URL says little; its article links say much), else 'other'.
 */
export function recognizePlatform(html: string, linkedUrls: readonly string[]): Platform {
  const byMarker = platformOfHtml(html);
  if (byMarker) return byMarker;
  const votes = new Map<Platform, number>();
  for (const url of linkedUrls) {
    const platform = platformOfUrl(url);
    if (platform && platform !== 'static') votes.set(platform, (votes.get(platform) ?? 0) + 1);
  }
  const [best] = [...votes].sort((a, b) => b[1] - a[1]);
  if (best) return best[0];
  return linkedUrls.some((url) => platformOfUrl(url) === 'static') ? 'static' : 'other';
}
