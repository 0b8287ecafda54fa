import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiscoveredDocument } from '../crawlers/types.ts';
import { planFetches, type RecheckInput } from './recheck-policy.ts';

const now = new Date('2026-12-01T02:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
const documentAt = (url: string): DiscoveredDocument => ({
  sourceId: 's',
  url,
  title: '年报',
  kindHint: 'pdf',
  foundOn: 'http://127.0.0.1/nb/',
  publishedAt: null,
});
const urls = (documents: DiscoveredDocument[]) => documents.map((document) => document.url);

function input(change: Partial<RecheckInput> = {}): RecheckInput {
  return {
    wanted: ['a', 'b', 'c', 'd'].map((name) => documentAt(`http://127.0.0.1/${name}.pdf`)),
    unchanged: new Set(['http://127.0.0.1/a.pdf', 'http://127.0.0.1/b.pdf', 'http://127.0.0.1/c.pdf']),
    loaded: new Set(['http://127.0.0.1/a.pdf', 'http://127.0.0.1/b.pdf', 'http://127.0.0.1/d.pdf']),
    checks: {
      'http://127.0.0.1/a.pdf': daysAgo(1),
      'http://127.0.0.1/b.pdf': daysAgo(8),
      'http://127.0.0.1/c.pdf': daysAgo(1),
      'http://127.0.0.1/d.pdf': daysAgo(1),
    },
    now,
    recheckDays: 7,
    force: false,
    ...change,
  };
}

test('skips only a document that is unchanged, loaded and checked within the re-check period', () => {
  const plan = planFetches(input());
  assert.deepEqual(urls(plan.skip), ['http://127.0.0.1/a.pdf']);
  // b: checked 8 days ago; c: never loaded (it may have failed); d: reached through a page that changed.
  assert.deepEqual(urls(plan.fetch), ['http://127.0.0.1/b.pdf', 'http://127.0.0.1/c.pdf', 'http://127.0.0.1/d.pdf']);
});

test('keeps the skipped document’s last check and stamps the fetched ones now', () => {
  const plan = planFetches(input());
  assert.equal(plan.checks['http://127.0.0.1/a.pdf'], daysAgo(1));
  assert.equal(plan.checks['http://127.0.0.1/b.pdf'], now.toISOString());
  assert.deepEqual(Object.keys(plan.checks).sort(), urls(input().wanted));
});

test('re-checks everything when forced, or when the period is 0', () => {
  assert.equal(planFetches(input({ force: true })).skip.length, 0);
  assert.equal(planFetches(input({ recheckDays: 0 })).skip.length, 0);
});

test('a document never sent to fetch is fetched, whatever the crawl says', () => {
  assert.equal(planFetches(input({ checks: {} })).skip.length, 0);
});
