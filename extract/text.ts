/** Plain text (as PDF converters leave it) into the Document model: form feeds split pages, lines stay raw. */
import type { DocumentPage, ExtractedDocument } from './types.ts';

export const TEXT_EXTRACTOR_VERSION = 'text-1';

/** Splits text into pages (form feed) and non-blank lines, keeping tabs, pipes and runs of spaces as they are. */
export function extractText(text: string, sha256: string): ExtractedDocument {
  const pages: DocumentPage[] = text
    .replace(/^\uFEFF/, '')
    .split('\f')
    .map((pageText, index) => ({
      number: index + 1,
      blocks: pageText
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
        .map((line) => ({ kind: 'line' as const, text: line.replace(/\s+$/, '') })),
    }));
  while (pages.length > 1 && pages.at(-1)?.blocks.length === 0) pages.pop();
  return { sha256, format: 'text', extractorVersion: TEXT_EXTRACTOR_VERSION, title: null, pages, warnings: [] };
}
