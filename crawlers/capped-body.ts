/**
 * Reading an answer's body under a byte cap, while it streams in: undici hands over decompressed bytes, so the cap
 * bounds what a gzip bomb expands to, not only what crosses the wire. Nothing past the cap is held in memory.
 */
import type { Response } from 'undici';
import { PageError } from './errors.ts';

export interface CappedBody {
  bytes: Buffer;
  /** False when the body passed the cap (announced by Content-Length or counted): `bytes` is then only its start. */
  complete: boolean;
  /** Bytes received before the read stopped (or the Content-Length announced). */
  received: number;
}

/** Reads up to `maxBytes` of the body and cancels the rest; a transport error while streaming is thrown as it came. */
export async function readCapped(response: Response, maxBytes: number): Promise<CappedBody> {
  const announced = Number(response.headers.get('content-length') ?? NaN);
  if (announced > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { bytes: Buffer.alloc(0), complete: false, received: announced };
  }
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body ?? []) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      const kept = chunk.subarray(0, chunk.byteLength - (received - maxBytes));
      return { bytes: Buffer.concat([...chunks, kept], maxBytes), complete: false, received };
    }
    chunks.push(chunk);
  }
  return { bytes: Buffer.concat(chunks, received), complete: true, received };
}

/** A page's bytes under the page cap (CrawlOptions.maxPageBytes); past it, PAGE_TOO_LARGE, having held at most the cap. */
export async function readPageCapped(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const { bytes, complete, received } = await readCapped(response, maxBytes);
  if (complete) return bytes;
  throw new PageError(`${url} is larger than the ${maxBytes}-byte page limit (maxPageBytes; ${received} bytes seen, after decompression)`, {
    code: 'PAGE_TOO_LARGE',
    retryable: false,
    url,
  });
}
