import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sniffFormat } from './sniff.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('sniffFormat', () => {
  it('finds the PDF magic, also after leading junk', () => {
    assert.equal(sniffFormat(bytes('%PDF-1.4\n')), 'pdf');
    assert.equal(sniffFormat(bytes('\r\n  \n%PDF-1.6\n')), 'pdf');
  });

  it('tells docx from other zips by the word/document.xml entry', () => {
    assert.equal(sniffFormat(bytes('PK\x03\x04\x14\x00\x00\x00word/document.xml')), 'docx');
    assert.equal(sniffFormat(bytes('PK\x03\x04\x14\x00\x00\x00xl/workbook.xml')), 'xlsx');
    assert.equal(sniffFormat(bytes('PK\x03\x04\x14\x00\x00\x00readme.txt')), 'zip');
  });

  it('recognises OLE2 files, images, HTML and text', () => {
    assert.equal(sniffFormat(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])), 'doc');
    assert.equal(sniffFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'image');
    assert.equal(sniffFormat(bytes('\n\n<!DOCTYPE html><html>')), 'html');
    assert.equal(sniffFormat(bytes('<div class="TRS_Editor"><p>x</p></div>')), 'html');
    assert.equal(sniffFormat(bytes('plain report text\n1\t2\n')), 'text');
    assert.equal(sniffFormat(new Uint8Array([0x00, 0x01, 0x02, 0x03])), 'binary');
  });
});
