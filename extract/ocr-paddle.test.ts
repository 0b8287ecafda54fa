/**
 * The PaddleOCR line recogniser on real renderings (sharp draws the text with the system's Noto CJK font): what it
 * reads, the figure-only decoding, and the confidence that tells a figure from a character in a figure's place.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { decodeFigure, figureAlphabet, recogniseCrops, type GreyImage } from './ocr-paddle.ts';

/** One line of text drawn black on white, as a grey crop about 40 px tall. */
async function line(text: string): Promise<GreyImage> {
  const width = 40 + 30 * [...text].length;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="44"><rect width="100%" height="100%" fill="white"/><text x="12" y="32" font-size="28" font-family="Noto Sans CJK SC">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height };
}

describe('PaddleOCR line recogniser', () => {
  it('reads a template label and a figure, each with a confidence', async () => {
    const [label, figure] = await recogniseCrops([await line('行政许可'), await line('3119')]);
    assert.equal(label!.free.text, '行政许可');
    assert.ok(label!.free.confidence >= 80, `label confidence ${label!.free.confidence}`);
    assert.equal(figure!.figure.text, '3119');
    assert.ok(figure!.figure.confidence >= 80, `figure confidence ${figure!.figure.confidence}`);
  });

  it('gives a figure decoding with low confidence where a Chinese character stands in a figure', async () => {
    const [mixed] = await recogniseCrops([await line('26司')]);
    assert.equal(mixed!.free.text, '26司');
    assert.ok(mixed!.figure.confidence < 60, `a figure reading of "26司" must be doubtful, got ${mixed!.figure.confidence}`);
  });

  it('takes a "!" in a figure for the thin serif 1 it is drawn like', async () => {
    const [one] = await recogniseCrops([await line('!')]);
    assert.equal(one!.figure.text, '1');
    assert.ok(one!.figure.confidence >= 60, `a "!" in a figure's place is a sure 1, got ${one!.figure.confidence}`);
  });

  it('reads nothing from an empty list', async () => {
    assert.deepEqual(await recogniseCrops([]), []);
  });
});

describe('figure-only CTC decoding', () => {
  const alphabet = figureAlphabet(['', ...'0123456789.-', '司', ' ']);
  const classes = alphabet.characters.length;
  /** The figure decoding of steps given as { character: probability } (the rest on the blank). */
  const decodeSteps = (...rows: Record<string, number>[]) => {
    const probabilities = new Float32Array(rows.length * classes);
    rows.forEach((row, step) => {
      probabilities[step * classes] = 1;
      for (const [char, probability] of Object.entries(row)) {
        probabilities[step * classes + alphabet.characters.indexOf(char)] = probability;
        probabilities[step * classes]! -= probability;
      }
    });
    return decodeFigure(probabilities, rows.length, classes, alphabet);
  };

  it('is as sure as its characters where the blank steps hold only their heads and tails', () => {
    const reading = decodeSteps({ '2': 0.2 }, { '2': 0.97 }, { '2': 0.3 }, { '5': 0.25 }, { '5': 0.96 }, {});
    assert.deepEqual(reading, { text: '25', confidence: 96 });
  });

  it('doubts a figure whose blank step nearly read another character (a leading "-" dropped)', () => {
    const reading = decodeSteps({ '-': 0.42 }, {}, { '2': 0.98 }, {});
    assert.equal(reading.text, '2');
    assert.equal(reading.confidence, 58);
  });
});
