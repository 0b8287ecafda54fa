import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { extractDocument } from '../extract/index.ts';
import { classifyError } from './retry-policy.ts';
import { ExtractPool } from './extract-pool.ts';

const pool = new ExtractPool(2);
after(() => pool.close());

const pdfDir = new URL('../simulator/pdfs/', import.meta.url);
const pdfName = readdirSync(pdfDir).find((name) => name.endsWith('.pdf'))!;
const hints = { sha256: 'x', contentType: 'application/pdf', url: 'http://127.0.0.1/r.pdf', maxBytes: 50_000_000 };

test('a PDF extracted in a worker thread equals the same extraction on the main thread', async () => {
  const bytes = new Uint8Array(readFileSync(new URL(pdfName, pdfDir)));
  const [threaded, direct] = await Promise.all([pool.extract(bytes.slice(), hints), extractDocument(bytes, hints)]);
  assert.ok(threaded.pages.length > 0);
  assert.deepEqual(threaded, direct);
});

test('a corrupt PDF fails in the thread with its permanent error code', async () => {
  const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage, no xref, no trailer');
  await assert.rejects(pool.extract(bytes, hints), (error: unknown) => {
    const failure = classifyError(error);
    assert.equal(failure.retryable, false, failure.reason);
    assert.match(failure.code, /PDF|FORMAT/);
    return true;
  });
});

test('PDFs are read by the PDFium engine of each thread, and a garbled one by pdf.js there too', async () => {
  const pdfs = readdirSync(pdfDir).filter((name) => name.endsWith('.pdf'));
  const documents = await Promise.all(pdfs.map((name) => pool.extract(new Uint8Array(readFileSync(new URL(name, pdfDir))), hints)));
  assert.deepEqual(
    documents.map((document) => document.engine),
    pdfs.map(() => 'pdfium'),
  );
  const { buildMinimalPdf } = await import('../extract/fixtures/minimal-pdf.ts');
  const garbled = buildMinimalPdf({
    pages: ['BT /F1 12 Tf 20 150 Td (Readable page) Tj ET', 'BT /F2 12 Tf 20 150 Td (Garbled page) Tj ET'],
  });
  const fallback = await pool.extract(garbled, { ...hints, pdf: { ocr: false } });
  assert.equal(fallback.engine, 'pdf.js');
});
