/** Child of the pdf benchmark: extracts one PDF (no OCR) and prints its own peak RSS in MB. */
import { readFileSync } from 'node:fs';
import { extractPdf } from '../../extract/index.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: _pdf-rss.ts FILE.pdf');
const document = await extractPdf(new Uint8Array(readFileSync(file)), 'bench', { ocr: false });
console.log(JSON.stringify({ pages: document.pages.length, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
