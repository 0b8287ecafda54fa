/**
 * Child of the pdf benchmark: extracts one PDF (no OCR) and prints its own peak RSS in MB. The file's Buffer is
 * handed over as it is (a Buffer is a Uint8Array): a copy would add the PDF's size to the peak, which an extract
 * thread, holding only the bytes it was sent, does not pay.
 */
import { readFileSync } from 'node:fs';
import { extractPdf } from '../../extract/index.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: _pdf-rss.ts FILE.pdf');
const document = await extractPdf(readFileSync(file), 'bench', { ocr: false });
console.log(JSON.stringify({ pages: document.pages.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
