/**
 * Errors of the extract stage. All are permanent (retryable=false): the same bytes always fail the same way. (An
 * anti-bot page is the fetch stage's BLOCKED: it is never archived.)
 */

/** Base class: a readonly UPPER_SNAKE `code` and `retryable`, read by the job layer's classifyError(). */
export abstract class ExtractError extends Error {
  abstract readonly code: string;
  readonly retryable: boolean = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The document has no bytes at all. */
export class EmptyDocumentError extends ExtractError {
  readonly code = 'EMPTY_DOCUMENT';
}

/** The document is larger than the configured maxBytes. */
export class DocumentTooLargeError extends ExtractError {
  readonly code = 'DOCUMENT_TOO_LARGE';
}

/** A format recognised but not (yet) extracted: legacy Word/WPS/Excel, images, archives, other binaries. */
export class UnsupportedFormatError extends ExtractError {
  readonly code = 'UNSUPPORTED_FORMAT';
}

/** Bytes that start like a PDF but cannot be parsed as one. */
export class CorruptPdfError extends ExtractError {
  readonly code = 'CORRUPT_PDF';
}

/** A PDF that needs a user password to open. */
export class EncryptedPdfError extends ExtractError {
  readonly code = 'ENCRYPTED_PDF';
}

/** A PDF without any text on any page (a scan): needs OCR, which extract does not do yet. */
export class NoTextLayerError extends ExtractError {
  readonly code = 'NO_TEXT_LAYER';
}

/** A zip container (docx, ofd) whose central directory promises an absurd inflated size, ratio or entry count. */
export class ZipBombError extends ExtractError {
  readonly code = 'ZIP_BOMB';
}

/** Text whose glyphs mostly have no usable Unicode mapping (CID fonts without ToUnicode): unreadable garbage. */
export class GarbledTextError extends ExtractError {
  readonly code = 'GARBLED_TEXT';
}

/** A page without a text layer that OCR could not read (OCR missing, failed, or over the page cap). */
export class NeedsOcrError extends ExtractError {
  readonly code = 'NEEDS_OCR';
}

/** The OCR engine did not finish in time: a machine too busy, most likely; worth another try. */
export class OcrTimeoutError extends ExtractError {
  readonly code = 'OCR_TIMEOUT';
  override readonly retryable = true;
}
