import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { writeWindow } from './batch.ts';
import { syntheticReport } from './fixtures/synthetic-reports.ts';
import { loadDocument, loadDocuments, type LoadDocumentInput } from './load-document.ts';
import { recordFailures, type FailureRecord } from './record-run.ts';
import { runReadOnlySql } from './sql.ts';
import { withWarehouse } from './warehouse.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'yangguang-batch-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every row the loader writes, in a stable order, without the load times. */
async function dump(file: string): Promise<Record<string, unknown[][]>> {
  const tables: Record<string, string> = {
    documents: 'select * from documents order by all',
    document_sightings: 'select * from document_sightings order by all',
    document_parts: 'select * from document_parts order by all',
    sources: 'select source_id, name, region_code, level from sources order by all',
    reports: 'select * exclude (loaded_at) from reports order by all',
    report_cells: 'select * from report_cells order by all',
    anomalies: 'select * from anomalies order by all',
    document_extractions: 'select * exclude (loaded_at) from document_extractions order by all',
    doc_tables: 'select * from doc_tables order by all',
    doc_table_cells: 'select * from doc_table_cells order by all',
    document_text: 'select * from document_text order by all',
  };
  const rows: Record<string, unknown[][]> = {};
  for (const [table, sql] of Object.entries(tables)) rows[table] = (await runReadOnlySql(file, sql)).rows;
  return rows;
}

/** A batch with the awkward cases: a document at a second URL, a re-parse, a re-extraction, a multi-page article. */
function awkwardBatch(rawDir: string): LoadDocumentInput[] {
  const [a, b, c, d] = [0, 1, 2, 3].map((n) => syntheticReport(n, 'run-1', rawDir));
  const aElsewhere: LoadDocumentInput = {
    ...a!,
    fetched: { ...a!.fetched, url: 'http://127.0.0.1/mirror/0.html', fetchedAt: '2024-03-01T00:00:00.000Z', title: 'mirror' },
  };
  const bReparsed: LoadDocumentInput = { ...b!, parsed: { ...b!.parsed, parserVersion: 'synthetic-2' } };
  const cReextracted: LoadDocumentInput = {
    ...c!,
    extracted: { ...c!.extracted, extractorVersion: 'synthetic-2', pages: [{ number: 1, blocks: [{ kind: 'line', text: 'only line' }] }] },
  };
  const part = (n: number) => ({
    url: `http://127.0.0.1/split/${n}.html`,
    sha256: String(n).repeat(64),
    byteLength: 10,
    archivePath: path.join(rawDir, String(n).repeat(64)),
    contentType: 'text/html',
  });
  const dParts: LoadDocumentInput = { ...d!, fetched: { ...d!.fetched, parts: [part(7), part(8)] } };
  return [a!, b!, aElsewhere, c!, bReparsed, cReextracted, dParts, a!];
}

test('a batch leaves the warehouse exactly as loading its documents one by one does', async () => {
  const inputs = awkwardBatch(path.join(dir, 'raw'));
  const oneByOne = path.join(dir, 'one-by-one.duckdb');
  const batched = path.join(dir, 'batched.duckdb');
  const expected = await withWarehouse(oneByOne, async (warehouse) => {
    const results = [];
    for (const input of inputs) results.push(await loadDocument(warehouse, input));
    return results;
  });
  const window = await writeWindow(batched, [{ items: inputs, write: loadDocuments }]);
  assert.equal(window.split, false);
  assert.deepEqual(
    window.outcomes[0]!.map((outcome) => (outcome.ok ? outcome.result : outcome.error)),
    expected,
  );
  assert.deepEqual(
    expected.map((result) => result.loaded),
    [true, true, false, true, true, false, true, false],
  );
  assert.deepEqual(await dump(batched), await dump(oneByOne));
});

test("loading the same batch again adds nothing but the new run's sightings", async () => {
  const file = path.join(dir, 'again.duckdb');
  const inputs = [0, 1, 2].map((n) => syntheticReport(n, 'run-1', path.join(dir, 'raw')));
  await writeWindow(file, [{ items: inputs, write: loadDocuments }]);
  const before = await dump(file);
  const again = await writeWindow(file, [{ items: inputs.map((input) => ({ ...input, runId: 'run-2' })), write: loadDocuments }]);
  assert.deepEqual(
    again.outcomes[0]!.map((outcome) => outcome.ok && (outcome.result as { loaded: boolean }).loaded),
    [false, false, false],
  );
  const after = await dump(file);
  assert.equal(after.document_sightings!.length, before.document_sightings!.length + 3);
  assert.deepEqual({ ...after, document_sightings: [] }, { ...before, document_sightings: [] });
});

test('one bad item fails alone: the window is written again item by item', async () => {
  const file = path.join(dir, 'culprit.duckdb');
  const documents = [0, 1, 2].map((n) => syntheticReport(n, 'run-1', path.join(dir, 'raw')));
  const failure = (url: string | null): FailureRecord => ({
    runId: 'run-1',
    stage: 'fetch',
    url: url as string,
    sha256: null,
    sourceId: 's',
    code: 'HTTP_404',
    reason: 'gone',
  });
  const window = await writeWindow(file, [
    { items: documents, write: loadDocuments },
    { items: [failure('http://127.0.0.1/a'), failure(null), failure('http://127.0.0.1/b')], write: recordFailures },
  ]);
  assert.equal(window.split, true);
  assert.deepEqual(
    window.outcomes[0]!.map((outcome) => outcome.ok),
    [true, true, true],
  );
  assert.deepEqual(
    window.outcomes[1]!.map((outcome) => outcome.ok),
    [true, false, true],
  );
  const failed = window.outcomes[1]![1]!;
  assert.match(String(!failed.ok && failed.error), /NOT NULL/);
  assert.deepEqual((await runReadOnlySql(file, 'select count(*) from reports')).rows, [[3]]);
  assert.deepEqual((await runReadOnlySql(file, 'select url from failures order by url')).rows, [
    ['http://127.0.0.1/a'],
    ['http://127.0.0.1/b'],
  ]);
});

test('waits for a reader in another process to let go of the file, saying so, and then writes', async () => {
  const file = path.join(dir, 'held.duckdb');
  await withWarehouse(file, async () => undefined);
  const reader = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { DuckDBInstance } from '@duckdb/node-api';
      const instance = await DuckDBInstance.create(${JSON.stringify(file)}, { access_mode: 'READ_ONLY' });
      console.log('holding');
      process.stdin.resume();
      process.stdin.on('end', () => { instance.closeSync(); process.exit(0); });`,
    ],
    { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => reader.stdout!.once('data', () => resolve()));
  const waits: number[] = [];
  const window = await writeWindow(file, [{ items: [syntheticReport(0, 'run-1', path.join(dir, 'raw'))], write: loadDocuments }], {
    timeoutMs: Infinity,
    onWait: (waitedMs, error) => {
      assert.equal(error.code, 'WAREHOUSE_LOCKED');
      if (waits.push(waitedMs) === 3) reader.stdin!.end(); // let go after the writer has waited a few times
    },
  });
  assert.ok(waits.length >= 3);
  assert.equal(window.outcomes[0]![0]!.ok, true);
  assert.deepEqual((await runReadOnlySql(file, 'select count(*) from reports')).rows, [[1]]);
});
