/** Ordinary mistakes end with one line naming what to fix and exit 2; the stack only with --debug. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { deleteKeys } from '../jobs/test-support.ts';
import { runCli } from './test-support.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `yg-test-cli-errors-${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'yg-cli-errors-'));
const env = { REDIS_URL, YANGGUANG_QUEUE_PREFIX: prefix, YANGGUANG_DATA_DIR: dir };
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await deleteKeys(REDIS_URL, `${prefix}:*`);
});

/** A stack trace's frame line. */
const STACK_FRAME = /^\s+at /m;

test('--version prints the package version and exits 0', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const result = await runCli(['--version'], env);
  assert.equal(result.status, 0);
  assert.equal(result.stdout.trim(), version);
});

const badSources = path.join(dir, 'bad.yaml');
writeFileSync(badSources, '- id: 1\n  name: 县\n');

const mistakes: { name: string; args: string[]; says: RegExp }[] = [
  { name: 'a bad review action', args: ['review', 'approve'], says: /unknown review action approve: choose list, confirm or dismiss/ },
  { name: 'no sources', args: ['crawl'], says: /nothing to crawl: give --sources FILE/ },
  { name: 'a bad cron pattern', args: ['schedule', 'set', '--cron', '61 * * * *'], says: /bad cron pattern "61 \* \* \* \*": .*0-59/ },
  {
    name: 'a misspelled time zone',
    args: ['schedule', 'set', '--cron', '0 2 * * *', '--tz', 'Asia/Shanhai'],
    says: /unknown time zone "Asia\/Shanhai"/,
  },
  { name: '`schedule rm` of an unknown id', args: ['schedule', 'rm', 'no-such-schedule'], says: /no schedule named no-such-schedule/ },
  { name: 'an invalid sources file', args: ['crawl', '--sources', badSources], says: /invalid sources file .*bad\.yaml:\n.*id/ },
  { name: 'a URL that is none', args: ['crawl', '--url', 'www.example.gov.cn', '--dry-run'], says: /not a URL: www\.example\.gov\.cn/ },
  { name: 'an unknown run to cancel', args: ['run', 'cancel', 'no-such-run'], says: /no run no-such-run in Redis/ },
  { name: 'an unknown option', args: ['crawl', '--bogus'], says: /unknown option '--bogus'/ },
  { name: 'a bad --timeout', args: ['crawl', '--url', 'http://127.0.0.1:9/', '--timeout', 'soon'], says: /--timeout.*whole number/ },
];

for (const mistake of mistakes) {
  test(`${mistake.name} exits 2 with a line saying what to fix, without a stack`, async () => {
    const result = await runCli(mistake.args, env);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, mistake.says);
    assert.doesNotMatch(result.stderr, STACK_FRAME);
    assert.doesNotMatch(result.stderr, /CronDate/);
  });
}

test('--debug adds the stack to the error line', async () => {
  const result = await runCli(['--debug', 'review', 'approve'], env);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown review action approve/);
  assert.match(result.stderr, STACK_FRAME);
});

test('a bad timezone setting is a configuration error (exit 2) naming the key', async () => {
  const result = await runCli(['schedule', 'list'], { ...env, YANGGUANG_TIMEZONE: 'Beijing' });
  assert.equal(result.status, 2);
  assert.match(result.stderr, /timezone \(env YANGGUANG_TIMEZONE\): not an IANA time zone/);
});

test('`status` with no Redis answering exits 3', async () => {
  const result = await runCli(['status'], { ...env, REDIS_URL: 'redis://127.0.0.1:9' });
  assert.equal(result.status, 3);
  assert.match(result.stdout, /queues: no Redis answers at redis:\/\/127\.0\.0\.1:9/);
});

test('a command that needs Redis exits 3 when none answers', async () => {
  const result = await runCli(['crawl', '--url', 'http://127.0.0.1:9/zfxxgknb/'], { ...env, REDIS_URL: 'redis://127.0.0.1:9' });
  assert.equal(result.status, 3);
  assert.match(result.stderr, /no Redis answers at redis:\/\/127\.0\.0\.1:9/);
});
