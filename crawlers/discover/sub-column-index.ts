/**
 * Sub-column index pages: a 年报 column often links only `部门政府信息公开年报` → <column>/bm/ and
 * `乡镇（街道）政府信息公开年报` → <column>/xz/ (PORTALS.md §1.1 skeleton T2), pages that list the bodies by their bare
 * names (财政局, 城关镇), each leading to that body's column. The index is no column (it lists no report); a body's
 * page is one once it lists that body's reports. What is decided here: whether a page is such an index, whether a
 * body's page lists its reports, and which addresses share a shape (so that, with the page budget spent, the
 * unfetched siblings of verified sub-columns can be taken with evidence saying so).
 */
import type { ColumnScope } from '../catalog-types.ts';
import type { ColumnEvidence } from './column-evidence.ts';
import { normalizeLabel, reportScope } from './link-roles.ts';

/** What a discovery knows of one index page's siblings: the shapes of those verified, and how many were not columns. */
export interface IndexTally {
  /** Verified sub-columns by address shape. */
  verified: Map<string, number>;
  /** Siblings fetched that were not a column of their body (or did not answer). */
  failed: number;
}

/**
 * Verified siblings of one shape that let the rest of an index's siblings of that shape be taken unfetched. Two, not
 * one: a single column could be the index linking one real column among pages of another kind.
 */
export const SIBLINGS_TO_TRUST = 2;
/**
 * Siblings verified for each one that was not a column, at least. Real indexes list a body or two whose column is
 * still empty (暂无信息); an index where more than one sibling in five fails is not a list of columns to trust.
 */
export const VERIFIED_PER_FAILURE = 4;

/**
 * Whether a page that is no column is a sub-column index worth following: the link to it named a department or
 * township group (no body: 部门年报, 乡镇（街道）), or the page names itself a 年报 column; the caller has found it is no
 * column. A body's own page (财政局) that is no column is not an index: its links are that body's menus, not sibling
 * columns.
 */
export function isSubColumnIndex(
  evidence: ColumnEvidence,
  link: { kind: 'column' | 'sub-column' | 'hub'; scope: ColumnScope; body?: string },
): boolean {
  // A page listing another government's reports is that government's column, and its sub-columns are its own.
  if (link.kind === 'hub' || link.body !== undefined || evidence.others > evidence.ours) return false;
  return link.kind === 'sub-column' || link.scope !== 'government' || evidence.namesColumn;
}

/**
 * Whether a body's page lists that body's reports: a title naming the body (财政局), or one whose issuer is of the
 * body's kind (示例县发展和改革局… for a link 发改局). A page listing only the government's own reports, or none,
 * is not the body's column.
 */
export function listsReportsOf(
  evidence: ColumnEvidence,
  scope: ColumnScope,
  body: string | undefined,
  governmentForms: readonly string[],
): boolean {
  const name = body ? normalizeLabel(body) : '';
  return evidence.reportTitles.some(
    (title) => (name.length >= 2 && normalizeLabel(title).includes(name)) || reportScope(title, governmentForms).scope === scope,
  );
}

/**
 * The shape of a sub-column's address, shared by siblings of one index: digits stand for ids, and the last name
 * (czj in …/bm/czj/, czj in …/bm/czj.htm) for any name unless it holds the id (col123, c17396), so that
 * /zfxxgknb/bm/czj/ and /zfxxgknb/bm/jyj/ share one shape, as do /col/col12/index.html and /col/col34/index.html,
 * but not /zfxxgknb/bm/czj/ and /xwzx/.
 */
export function addressShape(raw: string): string {
  const url = new URL(raw);
  // A folder and its index page are one address (…/czj/ and …/czj/index.html).
  const parts = url.pathname
    .replace(/\/index(_\d+)?\.s?html?$/i, '/')
    .replace(/\d+/g, '0')
    .split('/');
  let last = parts.length - 1;
  while (last > 0 && parts[last] === '') last--;
  const named = parts[last]!;
  if (!/0/.test(named)) parts[last] = named.replace(/^[^.]+/, '*');
  return `${url.host}${parts.join('/')}${url.search.replace(/\d+/g, '0')}`;
}

/**
 * Whether an unfetched sibling listed by an index may be taken: enough siblings of its shape verified, and few of
 * the index's siblings fetched that were not columns.
 */
export function trustsSibling(tally: IndexTally | undefined, url: string): boolean {
  if (!tally) return false;
  const verified = tally.verified.get(addressShape(url)) ?? 0;
  return verified >= SIBLINGS_TO_TRUST && tally.failed * VERIFIED_PER_FAILURE <= verified;
}

/**
 * The sub-column indexes of one discovery, by address, and what their siblings turned out to be when fetched. The
 * budget: siblings are fetched (beyond maxPages, within their own allowance) and each kept only if it lists its
 * body's reports; a sample of SIBLINGS_TO_TRUST per index goes first, so that when the pages run out every index
 * has been sampled and its unfetched siblings of a verified shape can be taken, saying so in their evidence.
 */
export class IndexSiblings {
  readonly #tallies = new Map<string, IndexTally>();

  /** Starts the tally of an index page (once). */
  open(indexUrl: string): void {
    if (!this.#tallies.has(indexUrl)) this.#tallies.set(indexUrl, { verified: new Map(), failed: 0 });
  }

  /** Records a sibling fetched: verified as its body's column, or not a column (or no answer). */
  record(indexUrl: string, url: string, verified: boolean): void {
    const tally = this.#tallies.get(indexUrl);
    if (!tally) return;
    if (!verified) tally.failed++;
    else tally.verified.set(addressShape(url), (tally.verified.get(addressShape(url)) ?? 0) + 1);
  }

  /** Whether the index has had fewer siblings checked than trustsSibling asks. */
  needsSample(indexUrl: string): boolean {
    const tally = this.#tallies.get(indexUrl);
    if (!tally) return false;
    let checked = tally.failed;
    for (const count of tally.verified.values()) checked += count;
    return checked < SIBLINGS_TO_TRUST;
  }

  /** Why an unfetched sibling may be taken, for its evidence; null when it may not. */
  unfetchedEvidence(indexUrl: string, url: string): string | null {
    const tally = this.#tallies.get(indexUrl);
    if (!tally || !trustsSibling(tally, url)) return null;
    const failed = tally.failed > 0 ? ` (${tally.failed} sibling(s) not a column)` : '';
    return `listed by that index like ${tally.verified.get(addressShape(url))} siblings of the same address shape that list their body's reports${failed}`;
  }
}
