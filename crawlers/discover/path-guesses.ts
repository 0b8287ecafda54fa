/**
 * Well-known places of a 年报 column (PORTALS.md §2.1, report-columns.tsv), tried only when no link leads to one:
 * the places seen most first, so that a small page budget tries the likeliest, then every other slug × parent.
 */

/** 年报 folder names. */
const SLUGS = ['zfxxgknb', 'xxgknb', 'zfxxgkndbg', 'zfgknb', 'xxgkndbg', 'ndbg'];
/** Parents the 年报 folder hangs under ('/' = the site root). */
const PARENTS = ['/zfxxgk/', '/zwgk/zfxxgk/', '/xxgk/', '/gk/', '/zwgk/', '/zfxxgkml/', '/'];
/** The places seen most on real portals (report-columns.tsv), Guangdong's annual-report view among them. */
const LIKELIEST = [
  '/zfxxgk/zfxxgknb/',
  '/zwgk/zfxxgk/zfxxgknb/',
  '/xxgk/zfxxgknb/',
  '/xxgk/xxgknb/',
  '/gk/zfxxgknb/',
  '/zwgk/zfxxgknb/',
  '/zfxxgknb/',
  '/xxgknb/',
  '/xxgk/zfxxgkndbg/',
  '/zfxxgkml/zfxxgkndbg/',
  '/gkmlpt/annualreport',
  '/zwgk/xxgknb/',
];

/** Paths to try, likeliest first, each once. */
export function pathGuesses(): string[] {
  const everyPair = SLUGS.flatMap((slug) => PARENTS.map((parent) => `${parent}${slug}/`));
  return [...new Set([...LIKELIEST, ...everyPair])];
}
