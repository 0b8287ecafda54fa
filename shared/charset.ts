/**
 * Decodes HTML bytes to text. Chinese portals often name their charset only in a <meta> (or not at all, or
 * wrongly), so the decision is: BOM, else the declared charset (content-type hint, then <meta>), else UTF-8 if
 * the bytes are valid UTF-8, else gb18030 (a superset of GBK and GB2312).
 */
import iconv from 'iconv-lite';

export interface DecodedHtml {
  text: string;
  /** The charset actually used, lower case (gb18030 for every GB* label). */
  charset: string;
  /** Set when the declared charset was overruled by the bytes. */
  mismatch?: { declared: string; used: string };
}

const META_SCAN_BYTES = 4096;
const META_CHARSET = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
const XML_ENCODING = /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i;
const GB_LABELS = /^(gb2312|gbk|gb18030|x-gbk|cp936|ms936|euc-cn|windows-936|gb_2312-80|csgb2312|chinese|iso-ir-58)$/;

/** Maps a charset label to the name iconv-lite decodes; every GB* label becomes gb18030. */
function normalizeCharsetLabel(label: string): string {
  const lower = label.trim().toLowerCase();
  if (GB_LABELS.test(lower)) return 'gb18030';
  if (lower === 'utf8' || lower === 'unicode-1-1-utf-8') return 'utf-8';
  if (lower === 'big5-hkscs' || lower === 'x-x-big5') return 'big5';
  return lower;
}

/** The charset parameter of a Content-Type value, if any. */
function charsetFromContentType(contentType: string | null): string | null {
  const match = contentType?.match(/charset\s*=\s*["']?([\w.:-]+)/i);
  return match?.[1] ?? null;
}

/**
 * The charset a <meta charset>, a <meta http-equiv content="…; charset=…"> or an XML declaration (Hanweb's
 * datastore answers are XML) in the first 4 KB declares.
 */
function charsetFromMeta(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, META_SCAN_BYTES)).toString('latin1');
  return head.match(META_CHARSET)?.[1] ?? head.match(XML_ENCODING)?.[1] ?? null;
}

function charsetFromBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** At least one multi-byte sequence: pure ASCII is valid UTF-8 and GBK alike and proves nothing. */
function hasNonAscii(bytes: Uint8Array): boolean {
  return bytes.some((byte) => byte >= 0x80);
}

/** Declared charsets lie: a UTF-8 label on invalid UTF-8, or a GB label on bytes that are valid UTF-8 text. */
function overruleDeclared(declared: string, bytes: Uint8Array): string {
  if (declared === 'utf-8' && !isValidUtf8(bytes)) return 'gb18030';
  if (declared === 'gb18030' && hasNonAscii(bytes) && isValidUtf8(bytes)) return 'utf-8';
  return declared;
}

function decode(bytes: Uint8Array, charset: string): string {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
  return text.replace(/^\uFEFF/, '');
}

/** Decodes HTML bytes; `contentType` is the HTTP header value, whose charset wins over the <meta>. */
export function decodeHtml(bytes: Uint8Array, contentType: string | null): DecodedHtml {
  const bom = charsetFromBom(bytes);
  if (bom) return { text: decode(bytes, bom), charset: bom };
  const label = charsetFromContentType(contentType) ?? charsetFromMeta(bytes);
  const declared = label ? normalizeCharsetLabel(label) : null;
  if (declared && iconv.encodingExists(declared)) {
    const used = overruleDeclared(declared, bytes);
    const decoded: DecodedHtml = { text: decode(bytes, used), charset: used };
    return used === declared ? decoded : { ...decoded, mismatch: { declared, used } };
  }
  const sniffed = isValidUtf8(bytes) ? 'utf-8' : 'gb18030';
  return { text: decode(bytes, sniffed), charset: sniffed };
}
