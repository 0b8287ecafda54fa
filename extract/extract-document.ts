/** The one entry of the extract stage: sniffs the bytes and hands them to the extractor of their format. */
import { decodeHtml } from '../shared/charset.ts';
import { DocumentTooLargeError, EmptyDocumentError, UnsupportedFormatError } from './errors.ts';
import { extractDecodedHtml } from './html.ts';
import { extractPdf, type PdfExtractOptions } from './pdf.ts';
import { sniffFormat, type SniffedFormat } from './sniff.ts';
import { extractText } from './text.ts';
import type { ExtractedDocument } from './types.ts';
import { extractDoc, extractDocx } from './word.ts';

export interface ExtractHints {
  /** Content hash of the bytes, copied into the result. */
  sha256: string;
  /** HTTP Content-Type, if any: only its charset is used (for HTML and text); the format comes from the bytes. */
  contentType: string | null;
  /** Where the bytes came from, for error messages only. */
  url: string;
  /** Largest input accepted, in bytes. */
  maxBytes: number;
  /** PDF options (OCR of pages without a text layer, ruling tables). */
  pdf?: PdfExtractOptions;
}

const UNSUPPORTED: Partial<Record<SniffedFormat, string>> = {
  xlsx: 'an Excel .xlsx workbook',
  ofd: 'an OFD document (GB/T 33190, zip with OFD.xml); convert it to PDF first',
  zip: 'a zip archive',
  binary: 'binary data of an unknown kind',
};

/**
 * An HTML page as fetched. No anti-bot check here: the fetch stage owns it (crawlers/fetch-document.ts), where a
 * challenge page is refused before it is archived and retried by asking the portal again; archived bytes never are one.
 */
function extractHtmlPage(bytes: Uint8Array, hints: ExtractHints): ExtractedDocument {
  return extractDecodedHtml(decodeHtml(bytes, hints.contentType), hints.sha256);
}

/**
 * Extracts text and tables from a fetched document, choosing the extractor by sniffing the bytes (the content
 * type and URL are hints only). Throws an ExtractError: EmptyDocumentError, DocumentTooLargeError,
 * UnsupportedFormatError, ZipBombError, or the PDF errors (CorruptPdfError,
 * EncryptedPdfError, NoTextLayerError, GarbledTextError, NeedsOcrError).
 */
export async function extractDocument(bytes: Uint8Array, hints: ExtractHints): Promise<ExtractedDocument> {
  if (bytes.byteLength === 0) throw new EmptyDocumentError(`${hints.url} is empty (0 bytes)`);
  if (bytes.byteLength > hints.maxBytes) {
    throw new DocumentTooLargeError(`${hints.url} has ${bytes.byteLength} bytes, more than the limit of ${hints.maxBytes}`);
  }
  const format = sniffFormat(bytes);
  switch (format) {
    case 'pdf':
      return extractPdf(bytes, hints.sha256, hints.pdf);
    case 'html':
      return extractHtmlPage(bytes, hints);
    case 'docx':
      return extractDocx(bytes, hints.sha256);
    case 'doc':
      return extractDoc(bytes, hints.sha256);
    case 'image':
      // Loaded on the first image: the OCR modules (sharp, tesseract, onnxruntime) stay out of a worker that reads none.
      return (await import('./scan.ts')).extractImage(bytes, hints.sha256);
    case 'text':
      // Same charset rules as HTML (BOM, declared, UTF-8 if valid, else gb18030); a text file has no <meta>.
      return extractText(decodeHtml(bytes, hints.contentType).text, hints.sha256);
    default:
      throw new UnsupportedFormatError(`${hints.url} is ${UNSUPPORTED[format] ?? format}, which extract does not read`);
  }
}
