/**
 * Text normalisation for PDF text. Chromium-printed PDFs (Type 3 fonts) map many common characters to the
 * Kangxi Radicals block (⽣ for 生), which NFKC folds back; the CJK Radicals Supplement (⻓ for 长) has no
 * compatibility mapping, so the forms that stand for a whole simplified character are mapped here.
 */

/** CJK Radicals Supplement forms that are, in running text, the character they look like. */
const RADICAL_SUPPLEMENT: Record<string, string> = {
  '⺁': '厂',
  '⺇': '几',
  '⺊': '卜',
  '⺌': '小',
  '⺎': '兀',
  '⺐': '尢',
  '⺒': '巳',
  '⺓': '幺',
  '⺗': '心',
  '⺝': '月',
  '⺠': '民',
  '⺡': '氵',
  '⺣': '灬',
  '⺦': '丬',
  '⺨': '犭',
  '⺩': '王',
  '⺪': '疋',
  '⺫': '罒',
  '⺬': '示',
  '⺭': '礻',
  '⺮': '竹',
  '⺰': '纟',
  '⺶': '羊',
  '⺷': '羊',
  '⺹': '耂',
  '⺻': '聿',
  '⺼': '月',
  '⺾': '艹',
  '⻁': '虎',
  '⻂': '衤',
  '⻄': '西',
  '⻅': '见',
  '⻆': '角',
  '⻈': '讠',
  '⻉': '贝',
  '⻋': '车',
  '⻌': '辶',
  '⻏': '阝',
  '⻐': '钅',
  '⻑': '長',
  '⻓': '长',
  '⻔': '门',
  '⻖': '阝',
  '⻗': '雨',
  '⻘': '青',
  '⻙': '韦',
  '⻚': '页',
  '⻛': '风',
  '⻜': '飞',
  '⻝': '食',
  '⻠': '饣',
  '⻢': '马',
  '⻣': '骨',
  '⻤': '鬼',
  '⻥': '鱼',
  '⻦': '鸟',
  '⻧': '卤',
  '⻨': '麦',
  '⻩': '黄',
  '⻪': '黾',
  '⻬': '齐',
  '⻮': '齿',
  '⻰': '龙',
  '⻳': '龟',
};
const RADICAL_SUPPLEMENT_PATTERN = /[\u2e80-\u2eff]/g;

/**
 * Glyphs a PDF draws without a usable Unicode mapping come out as NUL, U+FFFD, private-use characters (CID
 * fonts without ToUnicode) or, from some converters, "(cid:123)".
 */
const UNMAPPED_GLYPH = /[\u0000\ufffd\ue000-\uf8ff]|\(cid:\d+\)/g;
/** Other control characters are never text (TAB is added by line building, not taken from the PDF). */
const CONTROL = /[\u0001-\u001f\u007f]/g;

/** NFKC (Kangxi radicals, full-width forms) plus the CJK Radicals Supplement map; control characters dropped. */
export function normalizePdfText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(RADICAL_SUPPLEMENT_PATTERN, (char) => RADICAL_SUPPLEMENT[char] ?? char)
    .replace(CONTROL, ' ')
    .replace(UNMAPPED_GLYPH, '');
}

/** How many glyphs of the raw text have no Unicode mapping (the font lacks a usable ToUnicode map). */
export function countUnmappedGlyphs(text: string): number {
  return text.match(UNMAPPED_GLYPH)?.length ?? 0;
}
