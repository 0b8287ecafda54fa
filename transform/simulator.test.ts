/** Every planted report of the demo portals, rendered as HTML and extracted, parses to exactly its planted cells. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractDocument } from '../extract/index.ts';
import { loadPlantedData, renderStandaloneReport } from '../simulator/index.ts';
import { parseReport } from './index.ts';

const { reports } = loadPlantedData();

for (const planted of reports) {
  test(`the rendered HTML of ${planted.id} parses to its planted cells and identities`, async () => {
    const bytes = new TextEncoder().encode(renderStandaloneReport(planted));
    const doc = await extractDocument(bytes, {
      sha256: `sha-${planted.id}`,
      contentType: 'text/html; charset=utf-8',
      url: `http://127.0.0.1/${planted.id}.html`,
      maxBytes: 10 * 1024 * 1024,
    });
    const report = parseReport(doc, { title: planted.title, publishedAt: planted.publishedAt });
    assert.equal(report.meta.format, planted.format);
    const parsed = Object.fromEntries(report.cells.map((cell) => [cell.key, cell.value]));
    assert.deepEqual(parsed, planted.cells);
    for (const cell of report.cells) {
      assert.ok(cell.provenance, `${cell.key} has provenance`);
      assert.equal(typeof cell.provenance.table, 'number', `${cell.key} was read from a table`);
    }
    const identities = report.anomalies.filter((anomaly) => anomaly.kind === 'identity');
    assert.deepEqual(
      identities.map(({ id, expected, found }) => ({ id, expected, found })).sort((a, b) => a.id.localeCompare(b.id)),
      planted.anomalies.map(({ id, expected, found }) => ({ id, expected, found })).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
}
