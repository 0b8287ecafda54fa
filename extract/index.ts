/** The extract stage: bytes of a fetched document (HTML, PDF, Word, text) into the one Document model of ./types.ts. */
export { extractDocument, type ExtractHints } from './extract-document.ts';
export { extractHtml, extractHtmlString, HTML_EXTRACTOR_VERSION } from './html.ts';
export { joinHtmlPages } from './join-html-pages.ts';
export { extractPdf, PDF_EXTRACTOR_VERSION, type PdfExtractOptions } from './pdf.ts';
export { extractText, TEXT_EXTRACTOR_VERSION } from './text.ts';
export { extractDoc, extractDocx, WORD_EXTRACTOR_VERSION } from './word.ts';
export { assertNotZipBomb, DEFAULT_ZIP_LIMITS, readZipEntries, type ZipEntryInfo, type ZipLimits } from './zip.ts';
export { sniffFormat, type SniffedFormat } from './sniff.ts';
export {
  CorruptPdfError,
  DocumentTooLargeError,
  EmptyDocumentError,
  EncryptedPdfError,
  ExtractError,
  GarbledTextError,
  NeedsOcrError,
  NoTextLayerError,
  OcrTimeoutError,
  UnsupportedFormatError,
  ZipBombError,
} from './errors.ts';
export type * from './types.ts';
