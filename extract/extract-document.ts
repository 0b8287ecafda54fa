/** The one entry of the extract stage: sniffs the bytes and hands them to the extractor of their format. */
import { decodeHtml } from './charset.ts';
import { DocumentTooLargeError, EmptyDocumentError, UnsupportedFormatError } from './errors.ts';
import { extractHtml } from './html.ts';
import { extractPdf } from './pdf.ts';
import { sniffFormat, type SniffedFormat } from './sniff.ts';
import { extractText } from './text.ts';
import type { ExtractedDocument } from './types.ts';

export interface ExtractHints {
  /** Content hash of the bytes, copied into the result. */
  sha256: string;
  /** HTTP Content-Type, if any: only its charset is used (for HTML and text); the format comes from the bytes. */
  contentType: string | null;
  /** Where the bytes came from, for error messages only. */
  url: string;
  /** Largest input accepted, in bytes. */
  maxBytes: number;
}

const UNSUPPORTED: Partial<Record<SniffedFormat, string>> = {
  doc: 'a legacy Office/WPS compound file (.doc/.wps/.xls)',
  docx: 'a Word .docx document',
  xlsx: 'an Excel .xlsx workbook',
  zip: 'a zip archive',
  image: 'an image',
  binary: 'binary data of an unknown kind',
};

/**
 * Extracts text and tables from a fetched document, choosing the extractor by sniffing the bytes (the content
 * type and URL are hints only). Throws EmptyDocumentError, DocumentTooLargeError, UnsupportedFormatError, or
 * the PDF errors (CorruptPdfError, EncryptedPdfError, NoTextLayerError); all are permanent.
 */
export async function extractDocument(bytes: Uint8Array, hints: ExtractHints): Promise<ExtractedDocument> {
  if (bytes.byteLength === 0) throw new EmptyDocumentError(`${hints.url} is empty (0 bytes)`);
  if (bytes.byteLength > hints.maxBytes) {
    throw new DocumentTooLargeError(`${hints.url} has ${bytes.byteLength} bytes, more than the limit of ${hints.maxBytes}`);
  }
  const format = sniffFormat(bytes);
  switch (format) {
    case 'pdf':
      return extractPdf(bytes, hints.sha256);
    case 'html':
      return extractHtml(bytes, hints.sha256, hints.contentType);
    case 'text':
      // Same charset rules as HTML (BOM, declared, UTF-8 if valid, else gb18030); a text file has no <meta>.
      return extractText(decodeHtml(bytes, hints.contentType).text, hints.sha256);
    default:
      throw new UnsupportedFormatError(`${hints.url} is ${UNSUPPORTED[format] ?? format}, which extract does not read yet`);
  }
}
