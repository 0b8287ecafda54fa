/**
 * A minimal reader of a zip's central directory: entry names and their declared sizes, read without inflating
 * anything, so a zip bomb is refused before mammoth (jszip) inflates it all in memory.
 */
import { ZipBombError } from './errors.ts';

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
}

/** What a docx/ofd may declare at most. Real reports: a few MB inflated, a few dozen entries. */
export interface ZipLimits {
  maxEntries: number;
  maxTotalUncompressed: number;
  /** Largest inflated/compressed ratio of one entry bigger than 1 MB inflated (XML compresses ~10–30×). */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 5000, maxTotalUncompressed: 200 * 1024 * 1024, maxRatio: 200 };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_MIN_LENGTH = 22;
/** The EOCD record sits in the last 22 bytes plus a comment of at most 65535 bytes. */
const EOCD_SEARCH = EOCD_MIN_LENGTH + 0xffff;
const ZIP64_MARKER = 0xffffffff;
const RATIO_FLOOR_BYTES = 1024 * 1024;

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - EOCD_SEARCH);
  for (let offset = view.byteLength - EOCD_MIN_LENGTH; offset >= lowest; offset--) {
    if (view.getUint32(offset, true) === EOCD_SIGNATURE) return offset;
  }
  return -1;
}

/**
 * Lists a zip's entries from its central directory. Returns null when there is no readable central directory
 * (truncated or not a zip): the caller decides what that means.
 */
export function readZipEntries(bytes: Uint8Array): ZipEntryInfo[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < EOCD_MIN_LENGTH) return null;
  const eocd = findEndOfCentralDirectory(view);
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const entries: ZipEntryInfo[] = [];
  for (let index = 0; index < count; index++) {
    if (offset + 46 > bytes.byteLength || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const name = Buffer.from(bytes.subarray(offset + 46, offset + 46 + nameLength)).toString('utf8');
    entries.push({ name, compressedSize: view.getUint32(offset + 20, true), uncompressedSize: view.getUint32(offset + 24, true) });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Throws ZipBombError when the declared entries exceed the limits (ZIP64 sizes count as exceeding them). */
export function assertNotZipBomb(entries: ZipEntryInfo[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): void {
  if (entries.length > limits.maxEntries) {
    throw new ZipBombError(`the zip declares ${entries.length} entries, more than ${limits.maxEntries}`);
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.uncompressedSize === ZIP64_MARKER || entry.compressedSize === ZIP64_MARKER) {
      throw new ZipBombError(`zip entry ${entry.name} uses ZIP64 sizes (over 4 GB), far beyond any report`);
    }
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxRatio) {
      throw new ZipBombError(
        `zip entry ${entry.name} inflates ${Math.round(ratio)}× (${entry.uncompressedSize} bytes), more than ${limits.maxRatio}×`,
      );
    }
  }
  if (total > limits.maxTotalUncompressed) {
    throw new ZipBombError(`the zip inflates to ${total} bytes, more than the limit of ${limits.maxTotalUncompressed}`);
  }
}
