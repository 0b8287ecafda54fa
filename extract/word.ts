/**
 * Word documents into the Document model: .docx through mammoth into the HTML path (tables come as grids with
 * spans), legacy .doc (and WPS files in the Word binary format) through word-extractor, tables read from its
 * paragraph properties (./word-doc.ts).
 */
import mammoth from 'mammoth';
import { UnsupportedFormatError } from './errors.ts';
import { extractHtmlString } from './html.ts';
import type { ExtractedDocument } from './types.ts';
import { docBodyBlocks, readDocBody, type DocBody } from './word-doc.ts';
import { assertNotZipBomb, readZipEntries, type ZipLimits } from './zip.ts';

export const WORD_EXTRACTOR_VERSION = 'word-3';

/**
 * Extracts a .docx: its central directory is checked for a zip bomb first (ZipBombError), then mammoth turns
 * it into HTML, read like a web page. Headers and footers are not part of mammoth's output.
 */
export async function extractDocx(bytes: Uint8Array, sha256: string, zipLimits?: ZipLimits): Promise<ExtractedDocument> {
  const entries = readZipEntries(bytes);
  if (entries === null) throw new UnsupportedFormatError('the .docx has no readable zip central directory (truncated?)');
  assertNotZipBomb(entries, zipLimits);
  const result = await mammoth
    .convertToHtml({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })
    .catch((error: unknown) =>
      Promise.reject(new UnsupportedFormatError(`mammoth cannot read the .docx: ${String(error)}`, { cause: error })),
    );
  const document = extractHtmlString(`<html><body><article>${result.value}</article></body></html>`, sha256);
  for (const block of document.pages.flatMap((page) => page.blocks)) if (block.kind === 'table') block.origin = 'docx';
  return { ...document, format: 'docx', extractorVersion: WORD_EXTRACTOR_VERSION };
}

/**
 * Extracts a legacy Word .doc (or a .wps saved in the Word binary format): paragraphs as lines, tables as
 * grids (origin 'doc', merged cells expanded as in the other formats). Any other OLE2 file (.xls, .ppt, old WPS
 * formats) is UnsupportedFormatError.
 */
export async function extractDoc(bytes: Uint8Array, sha256: string): Promise<ExtractedDocument> {
  let body: DocBody;
  try {
    body = await readDocBody(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new UnsupportedFormatError(
      `an OLE2 compound file that is not a readable Word document (.xls, .ppt, or a WPS/.doc variant word-extractor cannot read: ${detail})`,
      { cause: error },
    );
  }
  return {
    sha256,
    format: 'doc',
    extractorVersion: WORD_EXTRACTOR_VERSION,
    title: null,
    pages: [{ number: 1, blocks: docBodyBlocks(body) }],
    warnings: [],
  };
}
