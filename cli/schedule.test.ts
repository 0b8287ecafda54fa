/** `schedule set` and `schedule list` through the real command line and Redis: the time zone setting, the examples warning. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { deleteKeys } from '../jobs/test-support.ts';
import { runCli } from './test-support.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `yg-test-cli-schedule-${process.pid}`;
const env = { REDIS_URL, YANGGUANG_QUEUE_PREFIX: prefix };
const examples = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'sources', 'examples.yaml');
after(() => deleteKeys(REDIS_URL, `${prefix}:*`));

test('without --tz a schedule fires in the timezone setting (Asia/Shanghai), and the list shows the zone and the next run in it', async () => {
  const set = await runCli(['schedule', 'set', '--cron', '0 2 * * *', '--sources', examples, '--id', 'nightly'], env);
  assert.equal(set.status, 0, set.stderr);
  assert.match(set.stdout, /schedule nightly: "0 2 \* \* \*" \(Asia\/Shanghai\)/);
  const list = await runCli(['schedule', 'list'], env);
  assert.match(list.stdout, /next run \(Asia\/Shanghai\)/);
  assert.match(list.stdout, /│ nightly │ 0 2 \* \* \* │ Asia\/Shanghai +│ \d{4}-\d\d-\d\d 02:00:00 /);
});

test('the timezone setting decides the default zone', async () => {
  const set = await runCli(['schedule', 'set', '--cron', '0 2 * * *', '--sources', examples, '--id', 'utc'], {
    ...env,
    YANGGUANG_TIMEZONE: 'UTC',
  });
  assert.match(set.stdout, /schedule utc: "0 2 \* \* \*" \(UTC\)/);
  const list = await runCli(['schedule', 'list'], { ...env, YANGGUANG_TIMEZONE: 'UTC' });
  assert.match(list.stdout, /│ utc +│ 0 2 \* \* \* │ UTC +│ \d{4}-\d\d-\d\d 02:00:00 /);
});

test('scheduling only the invented example portals says so', async () => {
  const set = await runCli(['schedule', 'set', '--cron', '0 3 * * *', '--sources', examples, '--id', 'examples'], env);
  assert.match(set.stderr, /lists invented example portals only; to schedule crawls of the national catalog, use --catalog/);
});
