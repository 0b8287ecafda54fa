/**
 * `bench parse`: documents parsed per second (parseReport on already extracted documents: the simulator's
 * rendered reports and the repository's text fixtures), against a baseline that merely walks every line and
 * table cell of the same documents in the same run. `ratio` = docs_per_s / baseline_walk_docs_per_s, as every bench line states its ratio (ours over the baseline).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extractHtmlString, extractText } from '../../extract/index.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import { loadPlantedData, renderStandaloneReport } from '../../simulator/index.ts';
import { parseReport } from '../../transform/index.ts';
import { perSecond, timed, type BenchFields } from './_measure.ts';

const ROUNDS = 40;
const FIXTURE_DIRS = ['../../transform/fixtures/parse/', '../../transform/fixtures/meta/'];

/** The benchmark's documents, extracted once: parse alone is measured. */
function loadDocuments(): ExtractedDocument[] {
  const rendered = loadPlantedData().reports.map((report) => extractHtmlString(renderStandaloneReport(report), `sim-${report.id}`));
  const texts = FIXTURE_DIRS.flatMap((dir) => {
    const url = new URL(dir, import.meta.url);
    return readdirSync(url)
      .filter((name) => name.endsWith('.txt'))
      .map((name) => extractText(readFileSync(new URL(name, url), 'utf8'), `fixture-${name}`));
  });
  return [...rendered, ...texts];
}

/** Touches every character of every line and cell: the least any parser must do. */
function walk(doc: ExtractedDocument): number {
  let characters = 0;
  for (const page of doc.pages) {
    for (const block of page.blocks) {
      if (block.kind === 'line') characters += block.text.length;
      else for (const row of block.rows) for (const cell of row) characters += cell.text.length;
    }
  }
  return characters;
}

/** Runs the parse benchmark and its walk baseline. */
export async function bench(): Promise<BenchFields> {
  const docs = loadDocuments();
  let cells = 0;
  const parse = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) for (const doc of docs) cells += parseReport(doc).cells.length;
  });
  let characters = 0;
  const baseline = await timed(async () => {
    for (let round = 0; round < ROUNDS; round++) for (const doc of docs) characters += walk(doc);
  });
  const parsed = docs.length * ROUNDS;
  return {
    docs: docs.length,
    rounds: ROUNDS,
    docs_per_s: perSecond(parsed, parse.seconds),
    cells_per_s: perSecond(cells, parse.seconds),
    baseline_walk_docs_per_s: perSecond(parsed, baseline.seconds),
    ratio: parse.seconds > 0 ? baseline.seconds / parse.seconds : 0,
    walked_chars: characters,
  };
}
