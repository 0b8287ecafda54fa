/**
 * `npm run eval [-- --docs DIR] [--truth TRUTH_DIR] [--json FILE]`: runs the real extract and parse stages on every
 * document NAME.{txt,html,pdf,docx,png,jpg,tif} under DIR (recursively) that has a TRUTH_DIR/NAME.json, and scores it: cells
 * right, source anomalies found and missed, spurious anomalies, metadata fields right. A NAME present in several
 * kinds (a PDF and its text) is scored once per kind. Prints per document, then totals; the last line is
 * `eval: accuracy=<percent> cells=<n> wrong=<n> missed_anomalies=<n> silent_errors=<n> unflagged_cells=<n>`.
 *
 * Defaults: DIR = $YANGGUANG_CORPUS or ../shared/corpus beside the repository, TRUTH_DIR = DIR/truth.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { extractDocument } from '../extract/index.ts';
import { parseReport } from '../transform/index.ts';
import { failedDocument, formatLastLine, percentOf, scoreDocument, totalScores, type DocumentScore, type Truth } from './eval-score.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCUMENT_KINDS = ['.txt', '.html', '.pdf', '.docx', '.png', '.jpg', '.jpeg', '.tif', '.tiff'];
/** Content types as a server would send them: extract sniffs the format itself and uses only the charset. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};
const SHOWN_WRONG_CELLS = 8;
const SHOWN_SPURIOUS = 10;

/** Every document file under `dir`, recursively, in a stable order. */
function findDocuments(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return findDocuments(full);
      return DOCUMENT_KINDS.includes(path.extname(name).toLowerCase()) ? [full] : [];
    });
}

/** Runs the extract and parse stages exactly as the pipeline does, with no crawl context. */
async function parseFile(file: string) {
  const bytes = new Uint8Array(readFileSync(file));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? null;
  const doc = await extractDocument(bytes, { sha256, contentType, url: `file://${file}`, maxBytes: 100 * 1024 * 1024 });
  return parseReport(doc);
}

async function evaluateFile(entry: string, file: string, truth: Truth): Promise<DocumentScore> {
  try {
    return scoreDocument(entry, truth, await parseFile(file));
  } catch (error) {
    return failedDocument(entry, truth, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
}

function describeScore(score: DocumentScore): string {
  const { cells, anomalies, meta } = score;
  const lines = [
    score.entry,
    `  cells compared=${cells.compared} right=${cells.right} accuracy=${percentOf(cells.right, cells.compared)}`,
    ...cells.wrong.slice(0, SHOWN_WRONG_CELLS).map((line) => `    ✗ ${line}`),
    ...(cells.wrong.length > SHOWN_WRONG_CELLS ? [`    … ${cells.wrong.length - SHOWN_WRONG_CELLS} more`] : []),
    `  anomalies found=${anomalies.found}/${anomalies.expected} missed=${anomalies.missed.length} spurious=${anomalies.spurious.length}`,
    ...(anomalies.missed.length ? [`    missed: ${anomalies.missed.join('; ')}`] : []),
    ...(anomalies.spurious.length
      ? [`    spurious: ${anomalies.spurious.slice(0, SHOWN_SPURIOUS).join(', ')}${anomalies.spurious.length > SHOWN_SPURIOUS ? ' …' : ''}`]
      : []),
    `  meta right=${meta.right}/${meta.compared}${meta.wrong.length ? ` — ${meta.wrong.join('; ')}` : ''}`,
  ];
  if (score.silentErrors) lines.push(`  silent errors=${score.silentErrors} (wrong cells, and the report carries no anomaly)`);
  if (score.unflaggedCells.length > 0)
    lines.push(`  unflagged cells (wrong, and no anomaly points at them): ${score.unflaggedCells.join(', ')}`);
  return lines.join('\n');
}

function readOptions() {
  const { values } = parseArgs({
    options: { docs: { type: 'string' }, truth: { type: 'string' }, json: { type: 'string' } },
    allowPositionals: false,
  });
  const docs = path.resolve(values.docs ?? path.resolve(repoRoot, process.env.YANGGUANG_CORPUS ?? '../shared/corpus'));
  const truth = path.resolve(values.truth ?? path.join(docs, 'truth'));
  return { docs, truth, json: values.json };
}

async function main(): Promise<void> {
  const options = readOptions();
  if (!existsSync(options.docs) || !existsSync(options.truth)) {
    console.log(`eval: no documents at ${options.docs} or no truth at ${options.truth} (use --docs DIR --truth TRUTH_DIR)`);
    process.exitCode = 1;
    return;
  }
  const scores: DocumentScore[] = [];
  // A scans directory (npm run make-scans) keeps its truth beside the documents: skip it as a document folder.
  for (const file of findDocuments(options.docs).filter((file) => !file.startsWith(`${options.truth}${path.sep}`))) {
    const name = path.basename(file, path.extname(file));
    const truthFile = path.join(options.truth, `${name}.json`);
    if (!existsSync(truthFile)) continue;
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as Truth;
    const score = await evaluateFile(path.relative(options.docs, file), file, truth);
    console.log(describeScore(score));
    scores.push(score);
  }
  const totals = totalScores(scores);
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ totals, documents: scores }, null, 2)}\n`);
  console.log(
    `total: documents=${totals.documents} errors=${totals.errors} cells=${totals.cells} right=${totals.right} ` +
      `anomalies_found=${totals.anomaliesFound} missed=${totals.missedAnomalies} spurious=${totals.spuriousAnomalies} ` +
      `meta=${totals.metaRight}/${totals.metaCompared}`,
  );
  console.log(formatLastLine(totals));
}

await main();
