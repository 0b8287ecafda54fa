import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CRAWL_STATE_VERSION, unknownBefore, type SourceCrawlState } from './crawl-state.ts';
import type { DiscoveredDocument } from './types.ts';

const doc = (name: string): DiscoveredDocument => ({
  sourceId: 'county',
  url: `http://127.0.0.1:9/${name}.pdf`,
  title: name,
  kindHint: 'pdf',
  foundOn: 'http://127.0.0.1:9/',
  publishedAt: null,
});
const state = (version: number, documents: DiscoveredDocument[]): SourceCrawlState => ({
  version,
  sourceId: 'county',
  crawledAt: '2026-11-30T02:00:00.000Z',
  pages: { 'GET http://127.0.0.1:9/ ': { etag: null, lastModified: null, discovered: documents, links: [] } },
});

test('unknownBefore: the URLs the previous crawl did not know; none after a cold crawl or a state of another version or source', () => {
  const now = [doc('kept'), doc('back'), doc('new')];
  assert.deepEqual(unknownBefore(state(CRAWL_STATE_VERSION, [doc('kept')]), 'county', now), [doc('back').url, doc('new').url]);
  assert.deepEqual(unknownBefore(null, 'county', now), []);
  assert.deepEqual(unknownBefore(state(CRAWL_STATE_VERSION - 1, [doc('kept')]), 'county', now), []);
  assert.deepEqual(unknownBefore(state(CRAWL_STATE_VERSION, [doc('kept')]), 'other', now), []);
});
