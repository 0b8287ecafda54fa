/**
 * `npm run eval`: parses every document of the evaluation corpus and compares it with its truth file — meta per
 * field, cells right / wrong / missing / extra, anomalies matched — then prints one total line.
 *
 * Corpus: $YANGGUANG_CORPUS, default ../shared/corpus beside the repository. `--pdf` also reads each truth
 * document's PDF sibling through extractDocument and scores it as one more document.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractedDocument } from '../extract/types.ts';
import { extractDocument, extractText } from '../extract/index.ts';
import { parseReport } from '../transform/index.ts';
import type { Anomaly, ParsedReport } from '../transform/types.ts';

interface TruthAnomaly {
  kind: string;
  id?: string;
  where?: string;
}

interface Truth {
  name: string;
  document: string;
  meta: { region_code: string; issuer: string; year: number; format: string; level: string };
  cells: Record<string, number | null>;
  anomalies: TruthAnomaly[];
  alternatives?: Record<string, (number | null)[]>;
}

interface Score {
  cells: { right: number; total: number };
  meta: { right: number; total: number };
  anomalies: { matched: number; expected: number };
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.pdf': 'application/pdf', '.txt': 'text/plain; charset=utf-8' };
const SHOWN_WRONG_CELLS = 8;

async function readDocument(file: string): Promise<ExtractedDocument> {
  const bytes = readFileSync(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const extension = path.extname(file);
  if (extension === '.txt') return extractText(bytes.toString('utf8'), sha256);
  return extractDocument(new Uint8Array(bytes), { sha256, contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', url: `file://${file}`, maxBytes: 100 * 1024 * 1024 });
}

function accepts(truth: Truth, key: string, value: number | null): boolean {
  const alternatives = truth.alternatives?.[key] ?? [truth.cells[key] ?? null];
  return alternatives.some((expected) => expected === value || (expected !== null && value !== null && Math.abs(expected - value) < 1e-6));
}

function scoreMeta(truth: Truth, report: ParsedReport, lines: string[]): Score['meta'] {
  const found: Record<string, unknown> = {
    region_code: report.meta.regionCode,
    issuer: report.meta.issuer,
    year: report.meta.year,
    format: report.meta.format,
    level: report.meta.level,
  };
  let right = 0;
  const wrong: string[] = [];
  for (const [field, expected] of Object.entries(truth.meta)) {
    if (!(field in found)) continue;
    if (found[field] === expected) right++;
    else wrong.push(`${field}: expected ${JSON.stringify(expected)} found ${JSON.stringify(found[field])}`);
  }
  lines.push(`  meta ${right}/${right + wrong.length}${wrong.length ? ` — ${wrong.join('; ')}` : ''}`);
  return { right, total: right + wrong.length };
}

function scoreCells(truth: Truth, report: ParsedReport, lines: string[]): Score['cells'] {
  const found = new Map(report.cells.map((cell) => [cell.key, cell]));
  let right = 0;
  const wrong: string[] = [];
  let missing = 0;
  for (const key of Object.keys(truth.cells)) {
    const cell = found.get(key);
    if (!cell) missing++;
    if (cell && accepts(truth, key, cell.value)) right++;
    else wrong.push(`${key}: expected ${truth.cells[key]} found ${cell ? `${cell.value} (raw ${JSON.stringify(cell.provenance?.raw ?? null)})` : 'no key'}`);
  }
  const extra = report.cells.filter((cell) => !(cell.key in truth.cells)).length;
  const total = Object.keys(truth.cells).length;
  lines.push(`  cells right=${right} wrong=${wrong.length - missing} missing=${missing} extra=${extra} of ${total}`);
  for (const line of wrong.slice(0, SHOWN_WRONG_CELLS)) lines.push(`    ✗ ${line}`);
  if (wrong.length > SHOWN_WRONG_CELLS) lines.push(`    … ${wrong.length - SHOWN_WRONG_CELLS} more`);
  return { right, total };
}

/** Identity anomalies match by id; the others by kind and the table their `where` names. */
function matchesAnomaly(expected: TruthAnomaly, found: Anomaly): boolean {
  if (expected.kind !== found.kind) return false;
  if (expected.id) return expected.id === found.id;
  const table = /^t[234]/.exec(expected.where ?? '')?.[0];
  return table === undefined || found.id.includes(`:${table}`);
}

function scoreAnomalies(truth: Truth, report: ParsedReport, lines: string[]): Score['anomalies'] {
  const unused = [...report.anomalies];
  let matched = 0;
  const unmatched: string[] = [];
  for (const expected of truth.anomalies) {
    const index = unused.findIndex((found) => matchesAnomaly(expected, found));
    if (index === -1) unmatched.push(`${expected.kind} ${expected.id ?? expected.where ?? ''}`);
    else {
      matched++;
      unused.splice(index, 1);
    }
  }
  lines.push(`  anomalies matched=${matched}/${truth.anomalies.length}${unmatched.length ? ` — not found: ${unmatched.join('; ')}` : ''}`);
  const surplus = unused.map((anomaly) => anomaly.id);
  if (surplus.length) lines.push(`    reported beyond the truth: ${surplus.slice(0, 10).join(', ')}${surplus.length > 10 ? ' …' : ''}`);
  return { matched, expected: truth.anomalies.length };
}

async function evaluate(corpus: string, truth: Truth, file: string): Promise<Score> {
  const doc = await readDocument(file);
  const label = path.relative(corpus, file);
  const report = parseReport(doc, { title: truth.name });
  const lines = [`${label}`];
  const score = { meta: scoreMeta(truth, report, lines), cells: scoreCells(truth, report, lines), anomalies: scoreAnomalies(truth, report, lines) };
  console.log(lines.join('\n'));
  return score;
}

function percent(right: number, total: number): string {
  return total === 0 ? 'n/a' : `${((100 * right) / total).toFixed(1)}%`;
}

async function main(): Promise<void> {
  const corpus = path.resolve(repoRoot, process.env.YANGGUANG_CORPUS ?? '../shared/corpus');
  const truthDir = path.join(corpus, 'truth');
  if (!existsSync(truthDir)) {
    console.log(`eval: no corpus at ${corpus} (set YANGGUANG_CORPUS to a folder with truth/ and the documents); nothing to evaluate`);
    return;
  }
  const withPdf = process.argv.includes('--pdf');
  const totals: Score = { cells: { right: 0, total: 0 }, meta: { right: 0, total: 0 }, anomalies: { matched: 0, expected: 0 } };
  for (const name of readdirSync(truthDir).filter((file) => file.endsWith('.json')).sort()) {
    const truth = JSON.parse(readFileSync(path.join(truthDir, name), 'utf8')) as Truth;
    const files = [path.join(corpus, truth.document)];
    const pdf = files[0]!.replace(/\.txt$/, '.pdf');
    if (withPdf && pdf !== files[0] && existsSync(pdf)) files.push(pdf);
    for (const file of files) {
      const score = await evaluate(corpus, truth, file);
      totals.cells.right += score.cells.right;
      totals.cells.total += score.cells.total;
      totals.meta.right += score.meta.right;
      totals.meta.total += score.meta.total;
      totals.anomalies.matched += score.anomalies.matched;
      totals.anomalies.expected += score.anomalies.expected;
    }
  }
  const { cells, meta, anomalies } = totals;
  console.log(
    `eval: cells=${cells.right}/${cells.total} accuracy=${percent(cells.right, cells.total)} meta=${meta.right}/${meta.total} anomalies=${anomalies.matched}/${anomalies.expected}`,
  );
}

await main();
