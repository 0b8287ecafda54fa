/** docs/data-dictionary.md is what scripts/data-dictionary.ts generates from today's migrations. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DATA_DICTIONARY_FILE, renderDataDictionary } from './data-dictionary.ts';

test('the committed data dictionary is up to date with the schema (regenerate: node --import tsx scripts/data-dictionary.ts)', async () => {
  const generated = await renderDataDictionary();
  assert.match(generated, /### `report_cells` \(table\)/);
  assert.match(generated, /### `region_year_rollup` \(view\)/);
  assert.match(generated, /### `doc_cell_ocr` \(table\)/);
  assert.match(generated, /\| `confidence` \| DOUBLE \| no \| the OCR engine's confidence, 0-100/);
  assert.match(generated, /\| `engine` \| VARCHAR \| yes \| PDFs: the engine that read the text layer, pdfium or pdf\.js/);
  assert.match(generated, /\| `engine_fallback` \| VARCHAR \| yes \| why pdf\.js read the PDF instead of PDFium/);
  assert.equal(await readFile(DATA_DICTIONARY_FILE, 'utf8'), generated);
});
