/**
 * Downloads one discovered document into the content-addressed archive (rawDir/<sha256>) with undici's fetch under
 * the network policy (network-policy.ts): redirects followed only on the document's site, a timeout, a byte cap
 * enforced while the (decompressed) body streams in, and the source's TLS policy.
 * A multi-page article — or an article whose report is scanned images (image-parts.ts) — is downloaded part by
 * part and stored as one document whose hash covers every part.
 */
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Response } from 'undici';
import { sha256Hex, writeFileAtomic } from '../shared/files.ts';
import { detectChallenge } from '../shared/anti-bot.ts';
import { decodeHtml } from '../shared/charset.ts';
import { FetchError, describeNetworkFailure, httpStatusCode, isCertificateError, isRetryableStatus, permanentCause } from './errors.ts';
import { readCapped } from './capped-body.ts';
import { fetchFollowing, networkPolicyOf, policyDispatcher, sameSiteAs, type NetworkPolicy } from './network-policy.ts';
import { unfetchableReason } from './url-policy.ts';
import { isTooSmallForTable } from './image-parts.ts';
import { conditionalHeaders } from './crawl-state.ts';
import { unthrottledHostScheduler, type HostBudget, type HostScheduler } from './host-scheduler.ts';
import type { DiscoveredDocument, PreviousFetch } from './types.ts';
import type { ArchivedPart, FetchedDocument } from '../shared/document.ts';

/** How to fetch; the job layer passes these from the configuration (the network policy: network-policy.ts). */
export interface FetchOptions extends NetworkPolicy {
  /** Archive folder; the bytes go to rawDir/<sha256>. */
  rawDir: string;
  /** User-Agent header. */
  userAgent: string;
  /** Timeout of the whole request, body included, in seconds. */
  requestTimeoutSecs: number;
  /** Largest body accepted, in bytes; a larger one fails with BODY_TOO_LARGE. */
  maxBodyBytes: number;
  /** Longest a connection may stay silent, in seconds. Default 15. */
  idleTimeoutSecs?: number;
  /** The source's TLS policy (Source.tls): ignore skips certificate verification. Default strict. */
  tls?: 'strict' | 'ignore';
  /**
   * The process-wide host scheduler each request (every part of an article too) waits on, shared with the crawls
   * in the process. Default: an unthrottled one.
   */
  hosts?: HostScheduler;
  /** The source's politeness toward its hosts, when it names one (else the scheduler's default budget). */
  budget?: Partial<HostBudget>;
}

/** Most of an error answer read to tell a WAF's challenge page from a plain error. */
const ERROR_BODY_BYTES = 64 * 1024;

/** The identity of a multi-page article: the hash of its parts' hashes, in page order. */
export function partsSha256(partHashes: string[]): string {
  return sha256Hex(`parts:${partHashes.join(',')}`);
}

/**
 * Fetches `doc.url` (and, for a multi-page article, each of `doc.partUrls`) into the archive and describes what
 * was stored. Throws FetchError: HTTP_404/410/403 (not retryable), HTTP_429/5xx, TIMEOUT, NETWORK and BLOCKED
 * (retryable), BODY_TOO_LARGE, ADDRESS_REFUSED, REDIRECT_OFF_SITE, INVALID_URL (not retryable); a part's error
 * names the part. With `previous` (an earlier
 * fetch of the URL) the request is conditional: a 304 returns the previous document with `notModified: true`,
 * writing nothing. For an article only its first page is asked conditionally: CMSs regenerate every part
 * when the article changes, so the first page's validators stand for all of them.
 */
export async function fetchDocument(doc: DiscoveredDocument, options: FetchOptions, previous?: PreviousFetch): Promise<FetchedDocument> {
  type Answer = { response: Response; finalUrl: string } & ({ unchanged: FetchedDocument } | { first: ArchivedPart });
  const answer = await politely<Answer>(doc.url, options, async () => {
    const { response, finalUrl } = await request(doc.url, doc.foundOn, options, previous);
    if (response.status === 304 && previous)
      return { response, finalUrl, unchanged: await notModified(doc, response, finalUrl, options, previous) };
    return { response, finalUrl, first: await archive(response, doc.url, options) };
  });
  if ('unchanged' in answer) return answer.unchanged;
  const { response, first } = answer;
  const fetched: FetchedDocument = {
    sourceId: doc.sourceId,
    url: doc.url,
    finalUrl: answer.finalUrl,
    title: doc.title,
    publishedAt: doc.publishedAt,
    fetchedAt: new Date().toISOString(),
    status: response.status,
    contentType: first.contentType,
    sha256: first.sha256,
    byteLength: first.byteLength,
    archivePath: first.archivePath,
    etag: response.headers.get('etag'),
    lastModified: response.headers.get('last-modified'),
  };
  const further = doc.partUrls?.length ? await fetchParts(doc, options) : [];
  if (further.length === 0) return fetched;
  const parts = [first, ...further];
  return {
    ...fetched,
    sha256: partsSha256(parts.map((part) => part.sha256)),
    byteLength: parts.reduce((sum, part) => sum + part.byteLength, 0),
    parts,
  };
}

/** Runs one request, body included, in a slot of the host scheduler. */
function politely<T>(url: string, options: FetchOptions, task: () => Promise<T>): Promise<T> {
  return (options.hosts ?? unthrottledHostScheduler()).run(url, options.budget ?? {}, task);
}

/**
 * The further parts of an article, one after the other (politeness), each named in its error. An image part too
 * small to hold a table (a logo or button the page gave no size) is left out (image-parts.ts).
 */
async function fetchParts(doc: DiscoveredDocument, options: FetchOptions): Promise<ArchivedPart[]> {
  const parts: ArchivedPart[] = [];
  for (const [index, url] of (doc.partUrls ?? []).entries()) {
    try {
      const part = await politely(url, options, async () =>
        archive((await request(url, doc.url, options)).response, url, options, isTooSmallForTable),
      );
      if (part) parts.push(part);
    } catch (error) {
      if (!(error instanceof FetchError)) throw error;
      const message = `part ${index + 2} of ${doc.partUrls!.length + 1} of the article ${doc.url}: ${error.message}`;
      throw new FetchError(message, { code: error.code, retryable: error.retryable, url, cause: error });
    }
  }
  return parts;
}

/** Reads an answer's body into the archive (unless those bytes are there already). */
async function archive(response: Response, url: string, options: FetchOptions): Promise<ArchivedPart>;
/** The same, or null (nothing archived) for bytes `leaveOut` refuses. */
async function archive(
  response: Response,
  url: string,
  options: FetchOptions,
  leaveOut: (bytes: Uint8Array) => Promise<boolean>,
): Promise<ArchivedPart | null>;
async function archive(
  response: Response,
  url: string,
  options: FetchOptions,
  leaveOut?: (bytes: Uint8Array) => Promise<boolean>,
): Promise<ArchivedPart | null> {
  const bytes = await readCappedBody(response, url, options);
  const contentType = response.headers.get('content-type');
  throwIfChallenge(response.status, bytes, contentType, url);
  if (leaveOut && (await leaveOut(bytes))) return null;
  const sha256 = sha256Hex(bytes);
  const archivePath = path.join(options.rawDir, sha256);
  if (!(await exists(archivePath))) await writeFileAtomic(archivePath, bytes);
  return { url, sha256, byteLength: bytes.byteLength, archivePath, contentType };
}

/**
 * A 304 to a conditional request: the document is the one fetched before (its archived bytes are kept),
 * flagged notModified so that the pipeline stops there.
 */
async function notModified(
  doc: DiscoveredDocument,
  response: Response,
  finalUrl: string,
  options: FetchOptions,
  previous: PreviousFetch,
): Promise<FetchedDocument> {
  await response.body?.cancel().catch(() => undefined);
  const archivePath = path.join(options.rawDir, previous.sha256);
  const byteLength = await stat(archivePath).then(
    (info) => info.size,
    () => 0,
  );
  return {
    sourceId: doc.sourceId,
    url: doc.url,
    finalUrl,
    title: doc.title,
    publishedAt: doc.publishedAt,
    fetchedAt: new Date().toISOString(),
    status: 304,
    contentType: null,
    sha256: previous.sha256,
    byteLength,
    archivePath,
    etag: response.headers.get('etag') ?? previous.etag,
    lastModified: response.headers.get('last-modified') ?? previous.lastModified,
    notModified: true,
  };
}

/**
 * One request under the network policy, redirects kept on the hosts of the document and of the page that linked
 * it (or their registered domains): a report link that redirects elsewhere fails as REDIRECT_OFF_SITE.
 */
async function request(
  url: string,
  referer: string,
  options: FetchOptions,
  previous?: PreviousFetch,
): Promise<{ response: Response; finalUrl: string }> {
  const invalid = unfetchableReason(url);
  if (invalid) throw new FetchError(`${url}: ${invalid}`, { code: 'INVALID_URL', retryable: false, url });
  let answer: { response: Response; finalUrl: string };
  try {
    answer = await fetchFollowing(
      url,
      {
        signal: AbortSignal.timeout(options.requestTimeoutSecs * 1000),
        dispatcher: policyDispatcher({
          ...networkPolicyOf(options),
          ...(options.tls ? { tls: options.tls } : {}),
          ...(options.idleTimeoutSecs ? { idleTimeoutSecs: options.idleTimeoutSecs } : {}),
        }),
        // Some portals (VSB download.jsp) answer attachments only with the article as Referer.
        headers: { 'user-agent': options.userAgent, referer, accept: '*/*', ...conditionalHeaders(previous) },
      },
      sameSiteAs([new URL(url).host, ...(URL.canParse(referer) ? [new URL(referer).host] : [])]),
    );
  } catch (error) {
    throw transportError(error, url, options);
  }
  const { response } = answer;
  if (!response.ok && !(response.status === 304 && previous)) await throwForStatus(response, url, options);
  return answer;
}

function transportError(error: unknown, url: string, options: FetchOptions): FetchError {
  const refusal = permanentCause(error);
  if (refusal)
    return new FetchError(`fetching ${url} failed: ${refusal.message}`, { code: refusal.code, retryable: false, url, cause: error });
  if (isCertificateError(error)) {
    const message = `fetching ${url} failed: its TLS certificate is not trusted (${describe(error)}); a source with tls: ignore skips the check`;
    return new FetchError(message, { code: 'TLS_CERTIFICATE', retryable: false, url, cause: error });
  }
  const network = describeNetworkFailure(error);
  const code = network?.code ?? 'NETWORK';
  const detail = code === 'TIMEOUT' ? `no complete answer within ${options.requestTimeoutSecs} s` : (network?.reason ?? describe(error));
  return new FetchError(`fetching ${url} failed: ${detail}`, { code, retryable: true, url, cause: error });
}

function describe(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const text = error instanceof Error ? error.message : String(error);
  return cause instanceof Error ? `${text} (${cause.message})` : text;
}

/** An error answer: BLOCKED when it is a WAF's challenge page (decoded as pages are), else HTTP_<status>. */
async function throwForStatus(response: Response, url: string, options: FetchOptions): Promise<never> {
  const status = response.status;
  const body = await readCappedBody(response, url, { ...options, maxBodyBytes: ERROR_BODY_BYTES }).catch(() => new Uint8Array());
  throwIfChallenge(status, body, response.headers.get('content-type'), url);
  throw new FetchError(`${url} answered HTTP ${status} ${response.statusText}`.trim(), {
    code: httpStatusCode(status),
    retryable: isRetryableStatus(status),
    url,
  });
}

/** Reads the body, aborting once it passes maxBodyBytes (announced by Content-Length or counted while streaming). */
async function readCappedBody(response: Response, url: string, options: FetchOptions): Promise<Uint8Array> {
  let body;
  try {
    body = await readCapped(response, options.maxBodyBytes);
  } catch (error) {
    throw transportError(error, url, options);
  }
  if (body.complete) return body.bytes;
  const size =
    body.received > options.maxBodyBytes && response.headers.get('content-length') === String(body.received)
      ? `Content-Length ${body.received}`
      : `over ${body.received} bytes received`;
  throw new FetchError(`${url} is larger than the ${options.maxBodyBytes}-byte limit (${size})`, {
    code: 'BODY_TOO_LARGE',
    retryable: false,
    url,
  });
}

/** A 200 answer that is a WAF's JS challenge rather than the document. */
function throwIfChallenge(status: number, bytes: Uint8Array, contentType: string | null, url: string): void {
  const looksLikeHtml = /html/i.test(contentType ?? '') || /^\s*</.test(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
  if (!looksLikeHtml || bytes.byteLength > 64 * 1024) return;
  const challenge = detectChallenge(status, decodeHtml(bytes, contentType).text);
  if (challenge)
    throw new FetchError(`${url} answered an anti-bot page instead of the document: ${challenge}`, {
      code: 'BLOCKED',
      retryable: true,
      url,
    });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
