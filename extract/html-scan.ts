/**
 * One pass over a parsed page collecting everything the HTML extractor asks of the whole document: what is
 * never content, the title sources, the tables, the CMS content-container candidates and the text-only elements. A CSS selector
 * per question (cheerio's `$(selector)`) walks the whole tree each time — about twenty walks a page, the
 * extractor's largest cost after parsing.
 */
import type { AnyNode, Element } from 'domhandler';

/** Never content: these tags, any [hidden] element and any element styled display:none. */
const NOISE_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'select',
  'textarea',
  'button',
]);
/** Page chrome, dropped only when no main-content container is found and the whole body is read. */
const CHROME_TAGS = new Set(['header', 'footer', 'aside']);
const DISPLAY_NONE = /display\s*:\s*none/i;

/** A simple selector: `.class`, `#id` or a tag name (case-sensitive, as cheerio matches them). */
interface SimpleSelector {
  kind: 'class' | 'id' | 'tag';
  name: string;
}

export interface PageScan {
  /** The outermost never-content elements, to remove. */
  noise: Element[];
  /** header/footer/aside under body, outside noise. */
  chrome: Element[];
  /** Every table under body, outside noise, in document order. */
  tables: Element[];
  /** Tables with another table inside (page layout). */
  tablesHoldingTables: Set<Element>;
  /** Per selector given to scanPage, the matching elements (body included) in document order. */
  candidates: Element[][];
  /** Elements under body whose children (noise aside) are all text, in document order. */
  textOnly: Element[];
  titles: TitleSources;
}

function parseSimpleSelector(selector: string): SimpleSelector {
  if (selector.startsWith('.')) return { kind: 'class', name: selector.slice(1) };
  if (selector.startsWith('#')) return { kind: 'id', name: selector.slice(1) };
  return { kind: 'tag', name: selector };
}

function classList(element: Element): string[] {
  const value = element.attribs['class'];
  return value === undefined ? [] : value.split(/[\t\n\f\r ]+/);
}

function matches(element: Element, selector: SimpleSelector, classes: string[]): boolean {
  if (selector.kind === 'tag') return element.name === selector.name;
  if (selector.kind === 'id') return element.attribs['id'] === selector.name;
  return classes.includes(selector.name);
}

/** True for the elements the extractor never reads. */
function isNoise(element: Element): boolean {
  if (NOISE_TAGS.has(element.name) || 'hidden' in element.attribs) return true;
  const style = element.attribs['style'];
  return style !== undefined && DISPLAY_NONE.test(style);
}

function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** The elements the page title may come from, first of each in document order (noise included). */
export interface TitleSources {
  /** meta name=ArticleTitle (TRS, Hanweb), matched case-insensitively. */
  articleTitleMeta?: Element;
  ogTitleMeta?: Element;
  headTitle?: Element;
  anyTitle?: Element;
}

interface ScanState {
  scan: PageScan;
  selectors: SimpleSelector[];
  /** Tables enclosing the current node. */
  openTables: Element[];
}

/** Where the current element sits. */
interface Place {
  /** Strictly inside body. */
  inBody: boolean;
  inHead: boolean;
  /** Inside a noise element: only title sources are still looked for. */
  inNoise: boolean;
}

function noteTitleSource(element: Element, place: Place, titles: TitleSources): void {
  if (element.name === 'title') {
    titles.anyTitle ??= element;
    if (place.inHead) titles.headTitle ??= element;
  } else if (element.name === 'meta') {
    if (element.attribs['name']?.toLowerCase() === 'articletitle') titles.articleTitleMeta ??= element;
    if (element.attribs['property']?.toLowerCase() === 'og:title') titles.ogTitleMeta ??= element;
  }
}

function noteContentElement(element: Element, place: Place, state: ScanState): void {
  const { scan } = state;
  const bodyOrInside = place.inBody || element.name === 'body';
  if (bodyOrInside) {
    if (CHROME_TAGS.has(element.name)) scan.chrome.push(element);
    const classes = state.selectors.some((selector) => selector.kind === 'class') ? classList(element) : [];
    state.selectors.forEach((selector, index) => {
      if (matches(element, selector, classes)) scan.candidates[index]!.push(element);
    });
  }
  // Descendants of body only, as `$('body *')` would give.
  if (place.inBody && element.children.every((child) => child.type === 'text' || (isElement(child) && isNoise(child)))) {
    scan.textOnly.push(element);
  }
  if (element.name === 'table') {
    for (const outer of state.openTables) scan.tablesHoldingTables.add(outer);
    if (place.inBody) scan.tables.push(element);
  }
}

function visitElement(element: Element, place: Place, state: ScanState): void {
  noteTitleSource(element, place, state.scan.titles);
  const noise = place.inNoise || isNoise(element);
  if (noise && !place.inNoise) state.scan.noise.push(element);
  if (!noise) noteContentElement(element, place, state);
  const table = !noise && element.name === 'table';
  if (table) state.openTables.push(element);
  const inner: Place = {
    inBody: place.inBody || element.name === 'body',
    inHead: place.inHead || element.name === 'head',
    inNoise: noise,
  };
  for (const child of element.children) if (isElement(child)) visitElement(child, inner, state);
  if (table) state.openTables.pop();
}

/**
 * Scans the tree under `root` once. `selectors` are simple selectors (`.class`, `#id`, `tag`); their matches
 * come back in `candidates` in the same order.
 */
export function scanPage(root: AnyNode, selectors: readonly string[]): PageScan {
  const scan: PageScan = {
    noise: [],
    chrome: [],
    tables: [],
    tablesHoldingTables: new Set(),
    candidates: selectors.map(() => []),
    textOnly: [],
    titles: {},
  };
  const state: ScanState = { scan, selectors: selectors.map(parseSimpleSelector), openTables: [] };
  const children = 'children' in root ? root.children : [];
  const top: Place = { inBody: false, inHead: false, inNoise: false };
  for (const child of children) if (isElement(child)) visitElement(child, top, state);
  return scan;
}
