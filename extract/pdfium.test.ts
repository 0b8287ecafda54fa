import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { CorruptPdfError, EncryptedPdfError } from './errors.ts';
import { buildMinimalPdf } from './fixtures/minimal-pdf.ts';
import { extractPdf } from './pdf.ts';
import { pdfiumHeapBytes, pdfiumOpenHandles, setPdfiumHeapCap } from './pdfium-engine.ts';
import { renderPdfPages, type GrayImage } from './pdfium-render.ts';
import type { ExtractedDocument, LineBlock } from './types.ts';

const SIMULATOR_PDFS = ['huaian-2024', 'hongze-2023', 'longde-2020', 'sunan-2020', 'tangyuan-office-2020'];
const readable = 'BT /F1 12 Tf 20 150 Td (Readable page) Tj ET';
const garbled = 'BT /F2 12 Tf 20 150 Td (Garbled page) Tj ET';

function simulatorPdf(id: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../simulator/pdfs/${id}.pdf`, import.meta.url)));
}

function lines(document: ExtractedDocument): LineBlock[] {
  return document.pages.flatMap((page) => page.blocks.filter((block): block is LineBlock => block.kind === 'line'));
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('should have thrown');
}

/** A PDF of the given object bodies (object 1 the catalog), with its cross-reference table and trailer. */
function assemblePdf(bodies: Array<string | Buffer>): Uint8Array {
  const objects = bodies.map((body, index) =>
    Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`), Buffer.from(body), Buffer.from('\nendobj\n')]),
  );
  let offset = '%PDF-1.4\n'.length;
  const offsets = objects.map((object) => [offset, (offset += object.length)][0]!);
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n `),
  ].join('\n');
  const trailer = `\ntrailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([Buffer.from('%PDF-1.4\n'), ...objects, Buffer.from(xref + trailer)]));
}

const streamObject = (data: Buffer, dictionary = '') =>
  Buffer.concat([Buffer.from(`<< /Length ${data.length}${dictionary} >>\nstream\n`), data, Buffer.from('\nendstream')]);

/** A one-page Helvetica PDF drawing `content`, with further objects after its own five. */
function onePagePdf(content: Buffer, dictionary = '', extraObjects: Buffer[] = []): Uint8Array {
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    streamObject(content, dictionary),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...extraObjects,
  ]);
}

/** A one-page PDF whose content stream inflates to `megabytes` of spaces after a line of text. */
function pdfWithHugeContentStream(megabytes: number): Uint8Array {
  const text = Buffer.from('BT /F1 12 Tf 20 150 Td (Hello) Tj ET\n', 'latin1');
  return onePagePdf(deflateSync(Buffer.concat([text, Buffer.alloc(megabytes * 2 ** 20, 0x20)])), ' /Filter /FlateDecode');
}

describe('PDFium and pdf.js read the same lines', () => {
  for (const id of SIMULATOR_PDFS) {
    it(`gives the same lines and boxes for ${id} (LibreOffice, Type 1 CJK fonts) through either engine`, async () => {
      const bytes = simulatorPdf(id);
      const pdfium = await extractPdf(bytes, id, { ocr: false, engine: 'pdfium' });
      const pdfjs = await extractPdf(bytes, id, { ocr: false, engine: 'pdf.js' });
      assert.deepEqual(
        lines(pdfium).map((line) => line.text),
        lines(pdfjs).map((line) => line.text),
      );
      lines(pdfium).forEach((line, index) => {
        const other = lines(pdfjs)[index]!.box!;
        for (const key of ['x', 'y', 'width', 'height'] as const)
          assert.ok(Math.abs(line.box![key] - other[key]) <= 0.5, `${line.text}: ${key}`);
      });
      assert.equal(pdfium.title, pdfjs.title);
    });
  }

  it("gives the same ruled tables from PDFium's paths through pdf-parse's table builder as getTable() from pdf.js", async () => {
    for (const id of SIMULATOR_PDFS) {
      const tables = async (engine: 'pdfium' | 'pdf.js') =>
        (await extractPdf(simulatorPdf(id), id, { ocr: false, engine, rulingTables: true })).pages.flatMap((page) =>
          page.blocks.filter((block) => block.kind === 'table'),
        );
      const fromPdfium = await tables('pdfium');
      assert.ok(fromPdfium.length > 0, id);
      assert.deepEqual(fromPdfium, await tables('pdf.js'), id);
    }
  });

  for (const rotation of [0, 90, 180, 270]) {
    it(`places lines as pdf.js does on a page with /Rotate ${rotation} and a crop box`, async () => {
      const content = 'BT /F1 12 Tf 20 150 Td (Hello) Tj 60 0 Td (World) Tj ET BT /F1 10 Tf 30 40 Td (Second line) Tj ET';
      const pdf = Buffer.from(buildMinimalPdf({ content }))
        .toString('latin1')
        .replace('/MediaBox [0 0 200 200]', `/MediaBox [0 0 200 300] /CropBox [10 5 190 290] /Rotate ${rotation}`);
      const bytes = new Uint8Array(Buffer.from(pdf, 'latin1'));
      const pdfium = await extractPdf(bytes, 'rotated', { ocr: false, engine: 'pdfium' });
      assert.deepEqual(pdfium.pages, (await extractPdf(bytes, 'rotated', { ocr: false, engine: 'pdf.js' })).pages);
    });
  }

  it('gives the same figure lines for the Chromium-printed fixture (Type 3 fonts)', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/report.pdf', import.meta.url)));
    const figureLines = async (engine: 'pdfium' | 'pdf.js') =>
      lines(await extractPdf(bytes, 'report', { ocr: false, engine }))
        .map((line) => line.text)
        .filter((text) => /\d/.test(text));
    assert.deepEqual(await figureLines('pdfium'), await figureLines('pdf.js'));
  });
});

describe('which engine reads a PDF', () => {
  it('is PDFium for a readable PDF, and the document says so', async () => {
    const document = await extractPdf(simulatorPdf('huaian-2024'), 'sha');
    assert.equal(document.engine, 'pdfium');
    assert.ok(!document.warnings.some((warning) => warning.code === 'PDFJS_FALLBACK'));
  });

  it('is pdf.js when PDFium reads a page as unmapped glyphs, with a PDFJS_FALLBACK warning naming the page', async () => {
    const document = await extractPdf(buildMinimalPdf({ pages: [readable, garbled] }), 'sha', { ocr: false });
    assert.equal(document.engine, 'pdf.js');
    const fallback = document.warnings.find((warning) => warning.code === 'PDFJS_FALLBACK');
    assert.match(fallback?.message ?? '', /page\(s\) 2 /);
    assert.deepEqual(
      lines(document).map((line) => line.text),
      ['Readable page'],
    );
  });

  it('is pdf.js for bytes PDFium cannot open, which then fail CORRUPT_PDF as before', async () => {
    const error = await rejection(extractPdf(new Uint8Array(Buffer.from('%PDF-1.7\nnot a PDF body\n')), 'sha'));
    assert.ok(error instanceof CorruptPdfError);
    assert.match(error.message, /pdf-parse|cannot be parsed/i);
  });

  it('is neither for a PDF that needs a password: PDFium says ENCRYPTED_PDF itself', async () => {
    const error = await rejection(extractPdf(buildMinimalPdf({ content: readable, encrypted: true }), 'sha'));
    assert.ok(error instanceof EncryptedPdfError);
    assert.match(error.message, /PDFium/);
  });
});

describe('the PDFium engine over many documents', () => {
  it('leaves no document, page or allocation open and its heap does not grow, over 150 documents, failed ones included', async () => {
    const inputs = [
      ...SIMULATOR_PDFS.map(simulatorPdf),
      buildMinimalPdf({ pages: [readable, readable] }),
      buildMinimalPdf({ content: readable, encrypted: true }),
      buildMinimalPdf({ content: readable }).subarray(0, 150),
    ];
    const extractAll = async () => {
      for (const bytes of inputs) {
        await extractPdf(bytes, 'sha', { ocr: false }).catch(() => undefined);
        assert.deepEqual(pdfiumOpenHandles(), { documents: 0, pages: 0, allocations: 0 });
      }
    };
    await extractAll(); // the heap grows to what these documents need
    const heapAfterFirstRound = pdfiumHeapBytes();
    assert.ok(heapAfterFirstRound > 0);
    for (let round = 0; round < 18; round++) await extractAll();
    assert.equal(pdfiumHeapBytes(), heapAfterFirstRound);
  });

  it('fails a PDF whose stream inflates past the heap cap CORRUPT_PDF, without handing it to pdf.js, and reads the next one', async () => {
    setPdfiumHeapCap(48 * 2 ** 20);
    try {
      const error = await rejection(extractPdf(pdfWithHugeContentStream(96), 'bomb', { ocr: false }));
      assert.ok(error instanceof CorruptPdfError);
      assert.match(error.message, /48 MB PDFium may use/);
      assert.deepEqual(pdfiumOpenHandles(), { documents: 0, pages: 0, allocations: 0 });
      assert.equal((await extractPdf(simulatorPdf('sunan-2020'), 'next', { ocr: false })).engine, 'pdfium');
    } finally {
      setPdfiumHeapCap();
    }
  });
});

describe("the PDF's bytes", () => {
  it('stay where they are: PDFium reads them block by block, its heap does not grow by the size of the file', async () => {
    setPdfiumHeapCap(); // a fresh engine, its heap at the initial size
    const padding = streamObject(Buffer.alloc(48 * 2 ** 20, 0x30)); // an object no page uses
    const bytes = onePagePdf(Buffer.from('BT /F1 12 Tf 20 150 Td (Read in place) Tj ET'), '', [padding]);
    const document = await extractPdf(bytes, 'padded', { ocr: false, engine: 'pdfium' });
    assert.deepEqual(
      lines(document).map((line) => line.text),
      ['Read in place'],
    );
    assert.ok(pdfiumHeapBytes() < bytes.byteLength, `heap ${pdfiumHeapBytes()} bytes for a PDF of ${bytes.byteLength}`);
    assert.deepEqual(pdfiumOpenHandles(), { documents: 0, pages: 0, allocations: 0 });
  });
});

describe('rendering pages for OCR', () => {
  it('renders a page at the asked resolution, white paper with dark text', async () => {
    const images: [number, GrayImage][] = [];
    await renderPdfPages(simulatorPdf('huaian-2024'), [2, 9], 100, async (page, image) => void images.push([page, image]));
    assert.deepEqual(
      images.map(([page]) => page),
      [2],
      'pages past the end are skipped',
    );
    const [, image] = images[0]!;
    assert.deepEqual([image.width, image.height], [Math.round((595.3 * 100) / 72), Math.round((841.9 * 100) / 72)]);
    const dark = image.pixels.filter((value) => value < 128).length;
    assert.ok(dark > 1000 && dark < image.pixels.length / 4, `${dark} dark pixels`);
    assert.deepEqual(pdfiumOpenHandles(), { documents: 0, pages: 0, allocations: 0 });
  });
});
