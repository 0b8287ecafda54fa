/** HTML extraction speed against a bare cheerio.load of the same pages (the floor any cheerio extractor pays). */
import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { extractHtml } from '../../extract/index.ts';
import { type BenchFields, perSecond, timed } from './_measure.ts';

const FIXTURES = ['report.html', 'gbk-meta-only.html', 'utf8-layout.html'];
const ROUNDS = 300;

/** `bench html: docs_per_s=… cheerio_load_docs_per_s=… ratio=…` */
export async function bench(): Promise<BenchFields> {
  const pages = FIXTURES.map((name) => new Uint8Array(readFileSync(new URL(`../../extract/fixtures/${name}`, import.meta.url))));
  const texts = pages.map((bytes) => Buffer.from(bytes).toString('utf8'));
  for (const bytes of pages) extractHtml(bytes, 'warm-up');
  const extracted = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) for (const bytes of pages) extractHtml(bytes, 'bench');
  });
  const loaded = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) for (const text of texts) cheerio.load(text);
  });
  const docs = ROUNDS * pages.length;
  const rate = perSecond(docs, extracted.seconds);
  const baseline = perSecond(docs, loaded.seconds);
  return { docs_per_s: rate, cheerio_load_docs_per_s: baseline, ratio: rate / baseline };
}
