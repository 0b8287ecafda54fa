import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sourceFromUrl } from './read-sources.ts';

test('crawl --url refuses file:, javascript: and URLs with credentials through the sources schema', () => {
  assert.throws(() => sourceFromUrl('file:///etc/passwd'), /refusing to crawl file:\/\/\/etc\/passwd: not an http\(s\) URL/);
  assert.throws(() => sourceFromUrl('javascript:alert(1)'), /refusing to crawl javascript:alert\(1\): not an http\(s\) URL/);
  assert.throws(
    () => sourceFromUrl('http://user:secret@www.demo-xian.gov.cn/zfxxgknb/'),
    /URLs with credentials \(user:password@\) are not crawled/,
  );
  assert.throws(() => sourceFromUrl('www.demo-xian.gov.cn'), /not a URL/);
});

test('crawl --url makes an http(s) URL a source on its own host', () => {
  assert.deepEqual(sourceFromUrl('https://www.demo-xian.gov.cn/zwgk/zfxxgknb/index.html'), {
    id: 'www-demo-xian-gov-cn',
    name: 'www.demo-xian.gov.cn',
    startUrls: ['https://www.demo-xian.gov.cn/zwgk/zfxxgknb/index.html'],
    allowedHosts: ['www.demo-xian.gov.cn'],
  });
});
