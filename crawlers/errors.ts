/** Errors of the crawl and fetch stages; the job layer reads `code` and `retryable`. */

/** What every error of this room carries besides its message. */
interface CrawlerErrorDetails {
  /** UPPER_SNAKE code, e.g. HTTP_404, BLOCKED, BODY_TOO_LARGE, or a network cause (CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT…). */
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

/** The cause of a failure below HTTP, as failure reasons and counts name it. */
export type NetworkFailureCode =
  | 'CONNECTION_REFUSED'
  | 'DNS_FAILURE'
  | 'TIMEOUT'
  | 'TLS_CERTIFICATE'
  | 'TLS_HANDSHAKE'
  | 'CONNECTION_RESET'
  | 'HOST_UNREACHABLE'
  | 'NETWORK';

/** A failure below HTTP (refused, DNS, timeout, TLS…), named for the people reading failure reasons. */
export interface NetworkFailure {
  code: NetworkFailureCode;
  /** e.g. `connection refused (connect ECONNREFUSED 127.0.0.1:8080): nothing listens there, or a firewall refuses it`. */
  reason: string;
  /** False only for an untrusted certificate: asking again will not help, a source's `tls: ignore` does. */
  retryable: boolean;
}

/**
 * Each cause, first match wins, against the error's codes and messages down its cause chain (undici wraps the
 * socket's errno in `fetch failed`; chromium names it `net::ERR_…`; Crawlee hides it below "Detected a session
 * error, rotating session…").
 */
const NETWORK_CAUSES: Array<{ code: NetworkFailureCode; pattern: RegExp; says: string }> = [
  { code: 'TLS_CERTIFICATE', pattern: /CERT_|CERT\b|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_CERT_/, says: 'TLS certificate not trusted' },
  {
    code: 'CONNECTION_REFUSED',
    pattern: /ECONNREFUSED|ERR_CONNECTION_REFUSED/,
    says: 'connection refused: nothing listens there, or a firewall refuses it',
  },
  {
    code: 'DNS_FAILURE',
    pattern: /ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NODATA|EAI_NONAME|ERR_NAME_NOT_RESOLVED|ERR_NAME_RESOLUTION_FAILED/,
    says: 'DNS lookup failed: the host name does not resolve',
  },
  {
    code: 'TIMEOUT',
    pattern: /ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_\w*TIMEOUT|TimeoutError|ERR_TIMED_OUT|ERR_CONNECTION_TIMED_OUT|timed? ?out|timeout/i,
    says: 'timed out: no complete answer in time',
  },
  {
    code: 'TLS_HANDSHAKE',
    pattern: /EPROTO|ERR_SSL_|ERR_TLS_|SSL routines|ssl3_|TLS handshake|wrong version number/i,
    says: 'TLS handshake failed',
  },
  {
    code: 'CONNECTION_RESET',
    pattern:
      /ECONNRESET|ECONNABORTED|EPIPE|ERR_CONNECTION_RESET|ERR_CONNECTION_CLOSED|ERR_EMPTY_RESPONSE|UND_ERR_SOCKET|other side closed|socket hang up/i,
    says: 'connection reset: the server closed it mid-answer',
  },
  {
    code: 'HOST_UNREACHABLE',
    pattern: /EHOSTUNREACH|ENETUNREACH|ERR_ADDRESS_UNREACHABLE|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_CHANGED/,
    says: 'host unreachable: no route to it',
  },
  { code: 'NETWORK', pattern: /socket|fetch failed|UND_ERR|RequestError|terminated|net::ERR_/i, says: 'network error' },
];

/** The network cause of `error`, or null when it is something else (an HTTP answer, a bug, a parse failure). */
export function describeNetworkFailure(error: unknown): NetworkFailure | null {
  const parts = errorChainParts(error);
  const text = parts.join(' ');
  const cause = NETWORK_CAUSES.find(({ pattern }) => pattern.test(text));
  if (!cause) return null;
  // The most telling line that names the cause: `connect ECONNREFUSED 127.0.0.1:8080` rather than `ECONNREFUSED`.
  const evidence = parts.filter((part) => cause.pattern.test(part) && part.length <= 160).sort((a, b) => b.length - a.length)[0] ?? '';
  const [what, why] = cause.says.split(': ');
  return {
    code: cause.code,
    reason: `${what}${evidence ? ` (${evidence.trim()})` : ''}${why ? `: ${why}` : ''}`,
    retryable: cause.code !== 'TLS_CERTIFICATE',
  };
}

/** Codes and message lines of an error, its causes and (for AggregateError, e.g. happy eyeballs) its errors. */
function errorChainParts(error: unknown, depth = 0): string[] {
  if (error === null || error === undefined || depth > 5) return [];
  if (typeof error !== 'object') return [String(error)];
  const { name, message, code, cause, errors } = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const own = [code, name, ...(typeof message === 'string' ? message.split('\n') : [])].filter(
    (part): part is string => typeof part === 'string' && part.trim() !== '',
  );
  const nested = [cause, ...(Array.isArray(errors) ? errors : [])].flatMap((inner) => errorChainParts(inner, depth + 1));
  return [...own, ...nested];
}

/** The code of a failure below HTTP (CONNECTION_REFUSED, DNS_FAILURE, TIMEOUT, TLS_…), or null for anything else. */
export function networkErrorCode(error: unknown): NetworkFailureCode | null {
  return describeNetworkFailure(error)?.code ?? null;
}

/** An untrusted or mismatched TLS certificate: asking again will not help; a source's `tls: ignore` policy does. */
export function isCertificateError(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const codes = [(error as { code?: unknown } | null)?.code, cause?.code].filter((code) => typeof code === 'string');
  // Node names the certificate problem in a code; chromium only in its message (net::ERR_CERT_AUTHORITY_INVALID).
  const message = error instanceof Error ? error.message : '';
  return codes.some((code) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code as string)) || /net::ERR_CERT_/.test(message);
}

/** A page of a crawl that is refused for good: PAGE_TOO_LARGE, INVALID_URL, SOURCE_BUDGET_EXCEEDED. */
export class PageError extends CrawlerError {}

/**
 * The permanent refusal an error carries, itself or as a cause (undici wraps the connector's ADDRESS_REFUSED in
 * "fetch failed"): ADDRESS_REFUSED, REDIRECT_OFF_SITE, PAGE_TOO_LARGE… Null when there is none.
 */
export function permanentCause(error: unknown): (Error & { code: string }) | null {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code, retryable } = current as { code?: unknown; retryable?: unknown };
    if (typeof code === 'string' && retryable === false) return current as Error & { code: string };
    current = current.cause;
  }
  return null;
}
