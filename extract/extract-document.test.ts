import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { buildMinimalPdf } from './fixtures/minimal-pdf.ts';
import {
  CorruptPdfError,
  DocumentTooLargeError,
  EmptyDocumentError,
  EncryptedPdfError,
  extractDocument,
  GarbledTextError,
  type ExtractHints,
  NoTextLayerError,
  UnsupportedFormatError,
} from './index.ts';

const hints: ExtractHints = { sha256: 'sha', contentType: null, url: 'http://127.0.0.1/doc', maxBytes: 1_000_000 };
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const PNG_HEADER = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const OLE2_HEADER = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0, 0, 0, 0, 0]);

async function rejection(bytes: Uint8Array, overrides: Partial<ExtractHints> = {}): Promise<Error & { code: string; retryable: boolean }> {
  try {
    await extractDocument(bytes, { ...hints, ...overrides });
  } catch (error) {
    return error as Error & { code: string; retryable: boolean };
  }
  assert.fail('extractDocument should have thrown');
}

describe('extractDocument chooses the extractor by sniffing the bytes', () => {
  it('reads a PDF served as text/html from a .html URL as a PDF', async () => {
    const pdf = buildMinimalPdf({ content: 'BT /F1 12 Tf 20 150 Td (Hello) Tj 60 0 Td (World) Tj ET' });
    const document = await extractDocument(pdf, { ...hints, contentType: 'text/html', url: 'http://127.0.0.1/a.html' });
    assert.equal(document.format, 'pdf');
    assert.deepEqual(
      document.pages[0]!.blocks.map((block) => block.kind === 'line' && block.text),
      ['Hello\tWorld'],
    );
  });

  it('reads an HTML page served as application/octet-stream as HTML', async () => {
    const html = new Uint8Array(readFileSync(new URL('./fixtures/utf8-layout.html', import.meta.url)));
    const document = await extractDocument(html, { ...hints, contentType: 'application/octet-stream', url: 'http://127.0.0.1/x.pdf' });
    assert.equal(document.format, 'html');
    assert.equal(document.title, '样例市2021年政府信息公开工作年度报告');
  });

  it('reads plain text with the text extractor, decoding GBK', async () => {
    const text = new Uint8Array(Buffer.from([0xc4, 0xea, 0xb1, 0xa8, 0x0a, 0x31, 0x09, 0x32, 0x0a])); // 年报\n1\t2\n in GBK
    const document = await extractDocument(text, hints);
    assert.equal(document.format, 'text');
    assert.deepEqual(
      document.pages[0]!.blocks.map((block) => block.kind === 'line' && block.text),
      ['年报', '1\t2'],
    );
  });
});

describe('extractDocument rejects bad input with specific permanent errors', () => {
  const cases: [string, () => Uint8Array, Partial<ExtractHints>, new (...args: never[]) => Error, string][] = [
    ['empty input', () => new Uint8Array(0), {}, EmptyDocumentError, 'EMPTY_DOCUMENT'],
    ['input over maxBytes', () => bytesOf('<html><body>x</body></html>'), { maxBytes: 10 }, DocumentTooLargeError, 'DOCUMENT_TOO_LARGE'],
    ['a PNG header with no image after it', () => PNG_HEADER, {}, UnsupportedFormatError, 'UNSUPPORTED_FORMAT'],
    ['a legacy .doc/.wps file', () => OLE2_HEADER, {}, UnsupportedFormatError, 'UNSUPPORTED_FORMAT'],
    ['PDF magic followed by garbage', () => bytesOf('%PDF-1.7\nthis is not a PDF body\n'), {}, CorruptPdfError, 'CORRUPT_PDF'],
    [
      'a truncated PDF',
      () => buildMinimalPdf({ content: 'BT /F1 12 Tf 20 150 Td (Hello) Tj ET' }).subarray(0, 150),
      {},
      CorruptPdfError,
      'CORRUPT_PDF',
    ],
    [
      'a PDF that needs a password',
      () => buildMinimalPdf({ content: 'BT /F1 12 Tf 20 150 Td (Hello) Tj ET', encrypted: true }),
      {},
      EncryptedPdfError,
      'ENCRYPTED_PDF',
    ],
    [
      'a PDF without any text (a scan)',
      () => buildMinimalPdf({ content: '0 0 1 rg 20 20 100 100 re f' }),
      {},
      NoTextLayerError,
      'NO_TEXT_LAYER',
    ],
    [
      'a PDF whose font maps every glyph to private-use code points (broken ToUnicode)',
      () => buildMinimalPdf({ content: 'BT /F2 12 Tf 20 150 Td (Garbled figures 3119) Tj ET' }),
      {},
      GarbledTextError,
      'GARBLED_TEXT',
    ],
  ];
  for (const [name, makeBytes, overrides, errorClass, code] of cases) {
    it(`${name}: ${code}, not retryable`, async () => {
      const error = await rejection(makeBytes(), overrides);
      assert.ok(error instanceof errorClass, `${error.name}: ${error.message}`);
      assert.equal(error.code, code);
      assert.equal(error.retryable, false);
      assert.ok(error.message.length > 10);
    });
  }
});

describe('a PDF garbled on some pages only', () => {
  const readable = 'BT /F1 12 Tf 20 150 Td (Readable page) Tj ET';
  const garbled = 'BT /F2 12 Tf 20 150 Td (Garbled page) Tj ET';

  it('keeps the readable pages and warns GARBLED_TEXT on the garbled page, whose glyphs are dropped', async () => {
    const document = await extractDocument(buildMinimalPdf({ pages: [readable, garbled] }), { ...hints, pdf: { ocr: false } });
    assert.deepEqual(
      document.pages[0]!.blocks.map((block) => block.kind === 'line' && block.text),
      ['Readable page'],
    );
    assert.deepEqual(document.pages[1]!.blocks, []);
    const warnings = document.warnings.filter((warning) => warning.code === 'GARBLED_TEXT');
    assert.deepEqual(
      warnings.map((warning) => warning.page),
      [2],
    );
  });

  it('OCRs the garbled page, left empty once its glyphs are dropped', { timeout: 120_000 }, async () => {
    const document = await extractDocument(buildMinimalPdf({ pages: [readable, garbled] }), hints);
    assert.deepEqual(
      document.pages[1]!.blocks.map((block) => block.kind === 'line' && block.text),
      ['Garbled page'],
    );
    assert.deepEqual(
      document.warnings.filter((warning) => warning.page === 2).map((warning) => warning.code),
      ['GARBLED_TEXT', 'OCR'],
    );
  });
});
