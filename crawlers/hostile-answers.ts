/**
 * Answers of a hostile or broken portal, for the crawler tests and the hostile probes (scripts/hostile/probes/):
 * endless pages, gzip bombs, a body that dribbles. Each writes lazily, with backpressure, and stops when the client
 * goes away, so that the server holds nothing much in memory whatever the size it claims.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** Bytes a hostile answer has written so far (read it while the answer is still going). */
export interface SentCounter {
  bytes: number;
}

/** Writes `chunk` until `totalBytes` are out or the client leaves; resolves with the bytes written. */
async function writeRepeated(
  response: ServerResponse,
  chunk: Buffer,
  totalBytes: number,
  sent: SentCounter = { bytes: 0 },
): Promise<number> {
  let written = 0;
  while (written < totalBytes && !response.destroyed) {
    const ok = response.write(chunk);
    written += chunk.byteLength;
    sent.bytes += chunk.byteLength;
    if (!ok)
      await new Promise<void>((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
  }
  if (!response.destroyed) response.end();
  return written;
}

const HTML_FILLER = Buffer.from(`<li><a href="/padding.html">${'填充'.repeat(200)}</a></li>\n`.repeat(64));

/** An HTML page of `totalBytes` (2 GB, 50 MB…) in chunked encoding, without Content-Length. Resolves with bytes sent. */
export function hugePage(response: ServerResponse, totalBytes: number, sent?: SentCounter): Promise<number> {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.write('<html><head><title>2024年政府信息公开工作年度报告</title></head><body><ul>');
  return writeRepeated(response, HTML_FILLER, totalBytes, sent);
}

/** One gzip member of 16 MB of spaces (about 16 KB compressed); repeated members make a valid gzip stream. */
let bombMember: Buffer | undefined;

/**
 * A gzip bomb: `compressedBytes` on the wire (1 MB) that expand to about a thousand times as much HTML whitespace,
 * announced as `Content-Encoding: gzip` with its honest, small Content-Length.
 */
export function gzipBomb(response: ServerResponse, compressedBytes: number): Promise<number> {
  bombMember ??= gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  const members = Math.max(1, Math.floor(compressedBytes / bombMember.byteLength));
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-encoding': 'gzip',
    'content-length': String(members * bombMember.byteLength),
  });
  return writeRepeated(response, bombMember, members * bombMember.byteLength);
}

/** The size a gzipBomb of `compressedBytes` expands to. */
export function gzipBombExpandedBytes(compressedBytes: number): number {
  bombMember ??= gzipSync(Buffer.alloc(16 * 1024 * 1024, 0x20), { level: 9 });
  return Math.max(1, Math.floor(compressedBytes / bombMember.byteLength)) * 16 * 1024 * 1024;
}

/** A page that sends its headers and then one byte every `intervalMs`, for ever (until the client leaves). */
export function dribble(response: ServerResponse, intervalMs: number): void {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  const timer = setInterval(() => {
    if (response.destroyed) clearInterval(timer);
    else response.write(' ');
  }, intervalMs);
  response.once('close', () => clearInterval(timer));
}
