/** The one entry of the extract stage: sniffs the bytes and hands them to the extractor of their format. */
import { detectChallenge } from '../shared/anti-bot.ts';
import { decodeHtml } from '../shared/charset.ts';
import { BlockedPageError, DocumentTooLargeError, EmptyDocumentError, UnsupportedFormatError } from './errors.ts';
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
  /** HTTP status of the response, if known: helps tell an anti-bot challenge page (412, 521) from a page. */
  status?: number;
  /** PDF options (OCR of pages without a text layer, ruling tables). */
  pdf?: PdfExtractOptions;
}

const UNSUPPORTED: Partial<Record<SniffedFormat, string>> = {
  xlsx: 'an Excel .xlsx workbook',
  ofd: 'an OFD document (GB/T 33190, zip with OFD.xml); convert it to PDF first',
  zip: 'a zip archive',
  image: 'an image',
  binary: 'binary data of an unknown kind',
};

/** A challenge page has hardly any text of its own; a report page that quotes a marker has plenty. */
const MAX_BLOCKED_PAGE_TEXT = 400;

function extractHtmlPage(bytes: Uint8Array, hints: ExtractHints): ExtractedDocument {
  const decoded = decodeHtml(bytes, hints.contentType);
  const document = extractDecodedHtml(decoded, hints.sha256);
  const challenge = detectChallenge(hints.status ?? 200, decoded.text);
  const visibleText = document.pages.flatMap((page) => page.blocks).reduce((sum, block) => sum + (block.kind === 'line' ? block.text.length : 100), 0);
  if (challenge && visibleText < MAX_BLOCKED_PAGE_TEXT) {
    throw new BlockedPageError(`${hints.url} is an anti-bot page, not the document: ${challenge}`);
  }
  return document;
}

/**
 * Extracts text and tables from a fetched document, choosing the extractor by sniffing the bytes (the content
 * type and URL are hints only). Throws an ExtractError: EmptyDocumentError, DocumentTooLargeError,
 * UnsupportedFormatError, ZipBombError, BlockedPageError (retryable), or the PDF errors (CorruptPdfError,
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
    case 'text':
      // Same charset rules as HTML (BOM, declared, UTF-8 if valid, else gb18030); a text file has no <meta>.
      return extractText(decodeHtml(bytes, hints.contentType).text, hints.sha256);
    default:
      throw new UnsupportedFormatError(`${hints.url} is ${UNSUPPORTED[format] ?? format}, which extract does not read`);
  }
}
