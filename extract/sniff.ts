/** Tells a document's format from its first bytes; content type and URL only break ties the bytes leave open. */

/** What the bytes are. 'doc' covers every OLE2 compound file (.doc, .wps, .xls, .ppt). */
export type SniffedFormat = 'pdf' | 'docx' | 'xlsx' | 'ofd' | 'zip' | 'doc' | 'image' | 'html' | 'text' | 'binary';

const PDF_MAGIC = '%PDF-';
const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const IMAGE_MAGICS: number[][] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x42, 0x4d], // BMP
  [0x49, 0x49, 0x2a, 0x00], // TIFF little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF big-endian
];
/** Some servers put junk (BOM, whitespace, a PHP notice) before %PDF-; PDF readers accept it within 1 KB. */
const PDF_MAGIC_WINDOW = 1024;
const HTML_MARKERS = /<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>]|<title[\s>]|<table[\s>]|<div[\s>]|<p[\s>]/i;

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function latin1(bytes: Uint8Array, length: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(length, bytes.byteLength)).toString('latin1');
}

/** A zip's file names are stored in clear: a docx names word/document.xml, an OFD (GB/T 33190) OFD.xml. */
function sniffZip(bytes: Uint8Array): SniffedFormat {
  const names = latin1(bytes, bytes.byteLength);
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('xl/workbook.xml')) return 'xlsx';
  if (names.includes('OFD.xml')) return 'ofd';
  return 'zip';
}

/** True when the head has control bytes that text never has (NUL, most C0 codes). */
function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) control++;
  }
  return control > head.length / 100;
}

/** Sniffs the format of a document from its bytes. */
export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (latin1(bytes, PDF_MAGIC_WINDOW).includes(PDF_MAGIC)) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(bytes);
  if (startsWith(bytes, OLE2_MAGIC)) return 'doc';
  if (IMAGE_MAGICS.some((magic) => startsWith(bytes, magic))) return 'image';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && latin1(bytes, 12).endsWith('WEBP')) return 'image';
  if (looksBinary(bytes)) return 'binary';
  if (HTML_MARKERS.test(latin1(bytes, 4096))) return 'html';
  return 'text';
}
