/**
 * Recognises the JS challenge pages of the WAFs Chinese portals put in front of their sites (PORTALS.md §3):
 * 瑞数 (412 + `$_ts`), 加速乐 (521 + `__jsl_clearance`), Aliyun (`acw_sc__v2`), 安恒 WZWS.
 */

/** Statuses that only those WAFs answer with. */
const CHALLENGE_STATUSES = new Set([412, 521]);

const CHALLENGE_MARKERS: { marker: RegExp; waf: string }[] = [
  { marker: /\$_ts\s*=|\$_ts\[/, waf: '瑞数 (RS) $_ts challenge' },
  { marker: /__jsl_clearance|__jsluid/, waf: '加速乐 __jsl_clearance challenge' },
  { marker: /acw_sc__v2/, waf: 'Aliyun WAF acw_sc__v2 challenge' },
  { marker: /请开启JavaScript并刷新该页|wzws_cid|WZWS/i, waf: 'WZWS JavaScript check' },
  { marker: /安全验证|访问异常|请稍候[，,.…]*正在/, waf: 'security check page' },
];

/** Challenge pages are small; a report page mentioning a marker in its prose must not count. */
const MAX_CHALLENGE_BYTES = 32 * 1024;

/** Why the response is an anti-bot challenge rather than the page, or null when it is not one. */
export function detectChallenge(status: number, text: string): string | null {
  if (text.length > MAX_CHALLENGE_BYTES) return null;
  const hit = CHALLENGE_MARKERS.find(({ marker }) => marker.test(text));
  if (hit) return `${hit.waf} (HTTP ${status})`;
  if (CHALLENGE_STATUSES.has(status)) return `anti-bot status HTTP ${status}`;
  const cookieScriptOnly = /document\.cookie\s*=/.test(text) && !/<a\s[^>]*href=/i.test(text) && text.length < 4096;
  return cookieScriptOnly ? `cookie-setting script page without links (HTTP ${status})` : null;
}
