import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExtractedDocument, TableCell } from '../extract/types.ts';
import { parseReport } from './parse-report.ts';

/** An OCRed figure: its reading, confidence and the engine's other readings. */
interface Figure {
  text: string;
  confidence: number;
  alternatives?: string[];
}

/** A table-四 grid as the OCR reader builds it: every slot with its reading's confidence and box. */
function t4Grid(figures: Figure[]): TableCell[][] {
  const box = (column: number) => ({ page: 1, x: 40 + column * 30, y: 300, width: 30, height: 14 });
  const heads = ['行政复议', '行政诉讼'];
  return [
    heads.map((text, column) => ({ text, ocr: { confidence: 95, box: box(column), pass: 'text' as const } })),
    figures.map((figure, column) => ({
      text: figure.text,
      ocr: { confidence: figure.confidence, box: box(column), pass: 'digits' as const, alternatives: figure.alternatives },
    })),
  ];
}

function scannedReport(figures: Figure[]): ExtractedDocument {
  return {
    sha256: 'scan',
    format: 'image',
    extractorVersion: 'test',
    title: null,
    pages: [
      {
        number: 1,
        blocks: [
          { kind: 'line', text: '示例县人民政府2024年政府信息公开工作年度报告' },
          { kind: 'line', text: '四、政府信息公开行政复议、行政诉讼情况' },
          { kind: 'table', index: 0, origin: 'ocr', rows: t4Grid(figures) },
        ],
      },
    ],
    warnings: [],
  };
}

const sure = (text: string): Figure => ({ text, confidence: 92 });

test('a figure read with low confidence becomes an ocr_uncertain anomaly naming its box', () => {
  const figures = ['1', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  figures[0] = { text: '1', confidence: 31 };
  const parsed = parseReport(scannedReport(figures));
  const uncertain = parsed.anomalies.find((anomaly) => anomaly.id === 'ocr_uncertain:t4.review.upheld');
  assert.ok(uncertain, JSON.stringify(parsed.anomalies));
  assert.equal(uncertain.kind, 'ocr_uncertain');
  assert.match(uncertain.detail, /confidence 31, page 1 at \(40, 300\)/);
});

test('an identity failing over confident OCR readings is reported as ocr_uncertain too', () => {
  const figures = ['1', '0', '0', '0', '7', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  const parsed = parseReport(scannedReport(figures));
  assert.ok(parsed.anomalies.some((anomaly) => anomaly.id === 't4_sum:review'));
  assert.ok(parsed.anomalies.some((anomaly) => anomaly.id === 'ocr_uncertain:t4_sum:review'));
});

test('confident readings that hold every identity raise no ocr_uncertain anomaly', () => {
  const figures = ['1', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  const parsed = parseReport(scannedReport(figures));
  assert.deepEqual(
    parsed.anomalies.filter((anomaly) => anomaly.kind === 'ocr_uncertain'),
    [],
  );
});

test('where exactly one combination of the offered readings holds every identity, it is taken and recorded', () => {
  const figures = ['1', '0', '0', '0', '7', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  figures[4] = { text: '7', confidence: 88, alternatives: ['7', '1'] };
  const parsed = parseReport(scannedReport(figures));
  assert.equal(parsed.cells.find((cell) => cell.key === 't4.review.total')?.value, 1);
  assert.equal(parsed.cells.find((cell) => cell.key === 't4.review.total')?.provenance?.raw, '7');
  assert.ok(!parsed.anomalies.some((anomaly) => anomaly.id === 't4_sum:review'));
  const chosen = parsed.anomalies.find((anomaly) => anomaly.id === 'ocr_uncertain:chosen:t4.review.total');
  assert.match(chosen?.detail ?? '', /read as "7"; 1 taken instead/);
});

test('where two combinations of readings would hold the identities, none is taken and the failure stands', () => {
  const figures = ['1', '0', '0', '0', '7', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  figures[0] = { text: '1', confidence: 88, alternatives: ['1', '7'] };
  figures[4] = { text: '7', confidence: 88, alternatives: ['7', '1'] };
  const parsed = parseReport(scannedReport(figures));
  assert.deepEqual(
    ['t4.review.upheld', 't4.review.total'].map((key) => parsed.cells.find((cell) => cell.key === key)?.value),
    [1, 7],
  );
  assert.ok(parsed.anomalies.some((anomaly) => anomaly.id === 't4_sum:review'));
  assert.ok(!parsed.anomalies.some((anomaly) => anomaly.id.startsWith('ocr_uncertain:chosen:')));
});

test('a reading no identity asks to change stays as read, even where it has alternatives', () => {
  const figures = ['1', '0', '0', '0', '1', '0', '0', '0', '0', '0', '0', '0', '0', '0', '0'].map(sure);
  figures[0] = { text: '1', confidence: 88, alternatives: ['1', '4'] };
  const parsed = parseReport(scannedReport(figures));
  assert.equal(parsed.cells.find((cell) => cell.key === 't4.review.upheld')?.value, 1);
  assert.ok(!parsed.anomalies.some((anomaly) => anomaly.id.startsWith('ocr_uncertain:chosen:')));
});
