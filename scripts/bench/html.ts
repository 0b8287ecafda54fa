/**
 * HTML extraction speed against a bare cheerio.load of the same pages (the floor any cheerio extractor pays).
 * `ratio` is from wall time, `cpu_ratio` from this process's CPU time, which other processes on a busy machine
 * disturb far less.
 */
import { readFileSync } from 'node:fs';
import * as cheerio from 'cheerio';
import { extractHtml } from '../../extract/index.ts';
import { type BenchFields, perSecond } from './_measure.ts';

const FIXTURES = ['report.html', 'gbk-meta-only.html', 'utf8-layout.html'];
const ROUNDS = 300;
/** Rounds per timed stretch: the two sides alternate in stretches long enough (~0.1 s) to time well. */
const ROUNDS_PER_STRETCH = 30;

interface Cost {
  wallSeconds: number;
  cpuSeconds: number;
}

function measure(cost: Cost, work: () => void): void {
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  work();
  cost.wallSeconds += Number(process.hrtime.bigint() - wallStart) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  cost.cpuSeconds += (cpu.user + cpu.system) / 1e6;
}

function repeat(rounds: number, work: () => void): () => void {
  return () => {
    for (let round = 0; round < rounds; round++) work();
  };
}

/** `bench html: docs_per_s=… cheerio_load_docs_per_s=… ratio=… cpu_ratio=…` */
export async function bench(): Promise<BenchFields> {
  const pages = FIXTURES.map((name) => new Uint8Array(readFileSync(new URL(`../../extract/fixtures/${name}`, import.meta.url))));
  const texts = pages.map((bytes) => Buffer.from(bytes).toString('utf8'));
  repeat(ROUNDS_PER_STRETCH, () => pages.forEach((bytes) => extractHtml(bytes, 'warm-up')))();
  repeat(ROUNDS_PER_STRETCH, () => texts.forEach((text) => cheerio.load(text)))();
  const extracted: Cost = { wallSeconds: 0, cpuSeconds: 0 };
  const loaded: Cost = { wallSeconds: 0, cpuSeconds: 0 };
  // Alternating stretches, so that load from other processes weighs on both sides alike.
  for (let done = 0; done < ROUNDS; done += ROUNDS_PER_STRETCH) {
    measure(
      extracted,
      repeat(ROUNDS_PER_STRETCH, () => pages.forEach((bytes) => extractHtml(bytes, 'bench'))),
    );
    measure(
      loaded,
      repeat(ROUNDS_PER_STRETCH, () => texts.forEach((text) => cheerio.load(text))),
    );
  }
  const docs = ROUNDS * pages.length;
  const rate = perSecond(docs, extracted.wallSeconds);
  const baseline = perSecond(docs, loaded.wallSeconds);
  return {
    docs_per_s: rate,
    cheerio_load_docs_per_s: baseline,
    ratio: rate / baseline,
    cpu_ratio: loaded.cpuSeconds / extracted.cpuSeconds,
  };
}
