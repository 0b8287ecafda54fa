/**
 * Reading a scanned table's cells: synthetic pages drawn with sharp from SVG (ruled tables, figures in Noto
 * fonts), read by readScanPage with PaddleOCR's recogniser; and how two readings of one line are agreed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import type { CropReading } from './ocr-paddle.ts';
import type { ScanImage } from './scan-clean.ts';
import { agreedReading, needsSecondReading, readScanPage, snappingReading } from './scan-page.ts';
import type { TableBlock } from './types.ts';

const COLUMN_WIDTH = 160;
const ROW_HEIGHT = 70;

/** A ruled table of the given cells' SVG (one string a cell, drawn at the cell's top left), as a 150-dpi page. */
async function ruledPage(cells: string[][]): Promise<ScanImage> {
  const [left, top] = [60, 60];
  const width = left * 2 + COLUMN_WIDTH * cells[0]!.length;
  const height = top * 2 + ROW_HEIGHT * cells.length;
  const rulings = [
    ...cells
      .map((_, row) => row)
      .concat(cells.length)
      .map((row) => {
        const y = top + row * ROW_HEIGHT;
        return `<rect x="${left}" y="${y}" width="${width - left * 2}" height="2"/>`;
      }),
    ...cells[0]!
      .map((_, column) => column)
      .concat(cells[0]!.length)
      .map((column) => {
        const x = left + column * COLUMN_WIDTH;
        return `<rect x="${x}" y="${top}" width="2" height="${height - top * 2 + 2}"/>`;
      }),
  ];
  const content = cells.flatMap((row, r) =>
    row.map((cell, c) => `<g transform="translate(${left + c * COLUMN_WIDTH} ${top + r * ROW_HEIGHT})">${cell}</g>`),
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${rulings.join('')}${content.join('')}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: new Uint8Array(data), dpi: 150 };
}

/** A figure centred in its cell, `dy` below the middle. */
const figure = (text: string, dy = 0) =>
  `<text x="${COLUMN_WIDTH / 2}" y="${ROW_HEIGHT / 2 + 8 + dy}" font-size="22" text-anchor="middle" font-family="Noto Sans CJK SC">${text}</text>`;

async function readTable(page: ScanImage): Promise<TableBlock> {
  const [table] = await readScanPage(page, 1, { linesToo: false });
  assert.equal(table?.kind, 'table');
  return table as TableBlock;
}

/** The readings of the left column of a two-by-two table whose left cells hold `upper` and `lower`. */
async function leftColumnRead(upper: string, lower = figure('3')): Promise<string[]> {
  const table = await readTable(
    await ruledPage([
      [upper, figure('25')],
      [lower, figure('8')],
    ]),
  );
  return table.rows.map((row) => row[0]!.text);
}

describe('reading the cells of a scanned table', () => {
  it('reads two figures stacked in one box (a row ruling lost) with no confidence, not as one figure', async () => {
    const table = await readTable(
      await ruledPage([
        [figure('12'), figure('7')],
        [figure('4', -14) + figure('1', 14), figure('30')],
      ]),
    );
    const [upper, lower] = table.rows;
    assert.equal(upper![0]!.text, '12');
    assert.ok(upper![0]!.ocr!.confidence >= 60, `a lone figure keeps its confidence, got ${upper![0]!.ocr!.confidence}`);
    assert.equal(lower![0]!.text, '41');
    assert.equal(lower![0]!.ocr!.confidence, 0);
  });

  it('crops a light print\'s faint strokes joined to its dark ones (a "4" whose diagonal is lighter than its stem)', async () => {
    const four = (stroke: string, stem: string) =>
      `<g transform="translate(72 24)" stroke-width="2.5" fill="none">` +
      `<path d="M12 0 L0 15 L17 15" stroke="${stroke}"/><path d="M12 0 L12 22" stroke="${stem}"/></g>`;
    const table = await readTable(
      await ruledPage([
        [four('#222', '#222'), figure('5')],
        [four('#b4b4b4', '#222'), figure('6')],
      ]),
    );
    assert.equal(table.rows[0]![0]!.text, '4');
    assert.equal(table.rows[1]![0]!.text, '4');
  });

  it('leaves out a ruling\'s residue standing apart at the side of a cell (it would read as a "1")', async () => {
    const residue = `<rect x="${COLUMN_WIDTH - 14}" y="10" width="2" height="${ROW_HEIGHT - 20}" fill="#333"/>`;
    assert.equal((await leftColumnRead(figure('7') + residue))[0], '7');
  });

  it("takes a cell whose only ink is a dashed ruling's residue along its side as blank, and reads a figure beside it", async () => {
    // What the wipe leaves of a slanted dashed column line a few pixels inside the cell's right side: with the "3"
    // it read as "131"; alone, it is cut as a crop that may read as "1".
    const dashes = Array.from(
      { length: 7 },
      (_, index) => `<rect x="${COLUMN_WIDTH - 7}" y="${6 + index * 9}" width="2" height="5" fill="#777"/>`,
    );
    const table = await readTable(
      await ruledPage([
        [dashes.join(''), figure('25')],
        [figure('3') + dashes.join(''), figure('8')],
      ]),
    );
    assert.equal(table.rows[0]![0]!.ocr?.pass, 'blank');
    assert.equal(table.rows[1]![0]!.text, '3');
  });

  it('still reads a lone "1" near the side of its cell, and the "1"s of a figure', async () => {
    const one = `<text x="${COLUMN_WIDTH - 8}" y="${ROW_HEIGHT / 2 + 8}" font-size="22" text-anchor="end" font-family="Noto Sans CJK SC">1</text>`;
    assert.deepEqual(await leftColumnRead(one, figure('11')), ['1', '11']);
  });

  it('leaves out a few specks of stray ink standing apart from a figure (they would read as ".5")', async () => {
    const specks = [0, 6, 12].map((dx) => `<rect x="${118 + dx}" y="${30 + dx / 2}" width="3" height="2" fill="#555"/>`).join('');
    assert.equal((await leftColumnRead(figure('10') + specks))[0], '10');
  });

  it('keeps a minus sign too faint for the dark-ink test before a figure, but not scattered specks there', async () => {
    const dash = `<rect x="62" y="34" width="8" height="2" fill="#aaa"/>`;
    const specks = [0, 4, 8].map((dx) => `<rect x="${58 + dx}" y="${31 + (dx % 8)}" width="1" height="1" fill="#aaa"/>`).join('');
    assert.deepEqual(await leftColumnRead(figure('2') + dash, figure('3') + specks), ['-2', '3']);
  });
});

describe('two readings of one line', () => {
  const reading = (text: string, confidence: number): CropReading => ({
    free: { text, confidence },
    figure: { text, confidence },
  });

  it('are made of nothing read, a doubtful figure, and any figure of several digits; not of a sure digit or a label', () => {
    assert.equal(needsSecondReading(reading('', 99)), true);
    assert.equal(needsSecondReading(reading('0', 70)), true);
    assert.equal(needsSecondReading(reading('447', 99)), true);
    assert.equal(needsSecondReading(reading('0', 97)), false);
    assert.equal(needsSecondReading(reading('行政许可', 70)), false);
  });

  it('takes what one reads where the other reads nothing', () => {
    assert.deepEqual(agreedReading(reading('', 99), reading('60', 97)), reading('60', 97));
    assert.deepEqual(agreedReading(reading('60', 70), reading('', 99)), reading('60', 70));
  });

  it('takes the surer where they agree', () => {
    assert.deepEqual(agreedReading(reading('60', 70), reading('60', 95)), reading('60', 95));
  });

  it("takes the surer figure with no more than an even split's confidence where they read two figures", () => {
    assert.deepEqual(agreedReading(reading('6', 88), reading('60', 97)), reading('60', 50));
    assert.deepEqual(agreedReading(reading('6', 30), reading('60', 97)), reading('60', 30));
  });
});

describe('two readings of a doubtful label', () => {
  const reading = (text: string, confidence: number): CropReading => ({ free: { text, confidence }, figure: { text: '', confidence: 0 } });

  it('takes the second where it snaps to a template label and the first does not', () => {
    const garbled = reading('7. 属于行致执法重参', 22);
    const label = reading('7.属于行政执法案卷', 80);
    assert.equal(snappingReading(garbled, label), label);
  });

  it('keeps the first where the second snaps to no label either', () => {
    const garbled = reading('7. 属于行致执法重参', 22);
    assert.equal(snappingReading(garbled, reading('7. 属行致法重', 30)), garbled);
  });
});
