/** Errors of the crawl and fetch stages; the job layer reads `code` and `retryable`. */

/** What every error of this room carries besides its message. */
interface CrawlerErrorDetails {
  /** UPPER_SNAKE code, e.g. HTTP_404, BLOCKED, TIMEOUT, NETWORK, BODY_TOO_LARGE. */
  code: string;
  /** True when trying again later may succeed (5xx, timeouts, anti-bot pages). */
  retryable: boolean;
  /** The URL that failed. */
  url: string;
  cause?: unknown;
}

/** An error of this room: a URL that failed, with the code and retryability the job layer reads. */
abstract class CrawlerError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly url: string;

  constructor(message: string, details: CrawlerErrorDetails) {
    super(message, { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.retryable = details.retryable;
    this.url = details.url;
  }
}

/** A crawl that could not start: its start URL(s) failed. */
export class CrawlError extends CrawlerError {}

/** A document that could not be downloaded into the archive. */
export class FetchError extends CrawlerError {}

/** HTTP_404 for 404 and so on. */
export function httpStatusCode(status: number): string {
  return `HTTP_${status}`;
}

/** 408, 425, 429 and 5xx may pass; other 4xx (404, 410, 403…) will not. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

/**
 * TIMEOUT or NETWORK for a failure below HTTP (refused, reset, DNS, TLS, timeout), or null when the error is
 * something else (a bug, a parse failure).
 */
export function networkErrorCode(error: unknown): 'TIMEOUT' | 'NETWORK' | null {
  const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
  const own = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const text = [name, message, own, cause?.code, cause?.message].filter((part) => typeof part === 'string').join(' ');
  if (/timeout|timed out|ETIMEDOUT|UND_ERR_.*TIMEOUT/i.test(text)) return 'TIMEOUT';
  const network = /ECONN(REFUSED|RESET|ABORTED)|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE|socket|fetch failed|UND_ERR|certificate|SSL|TLS|RequestError|other side closed|terminated/i;
  return network.test(text) ? 'NETWORK' : null;
}

/** An untrusted or mismatched TLS certificate: asking again will not help; a source's `tls: ignore` policy does. */
export function isCertificateError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const codes = [(error as { code?: unknown } | null)?.code, cause?.code].filter((code) => typeof code === 'string');
  // Node names the certificate problem in a code; chromium only in its message (net::ERR_CERT_AUTHORITY_INVALID).
  const message = error instanceof Error ? error.message : '';
  return codes.some((code) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code as string)) || /net::ERR_CERT_/.test(message);
}
