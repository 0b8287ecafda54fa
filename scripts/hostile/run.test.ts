/**
 * The hostile runner judges for itself: probes that claim a refusal but wrote outside the data directory, copied
 * the secret into it or asked the forbidden address count as leaked; a probe whose process dies as crashed; one
 * past its time as hung. Runs the real runner over scripts/hostile/fixtures/probes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const RUNNER = fileURLToPath(new URL('./run.ts', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/probes', import.meta.url));

test('the runner finds leaks, crashes and hangs itself, whatever the probes claim', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, '--probes-dir', FIXTURES, '--jobs', '3'], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const lines = run.stdout.trim().split('\n');
  // The failed probes' directories are kept for a look: this test's are not needed.
  const kept = /kept under (\S+)/.exec(run.stdout)?.[1];
  if (kept) rmSync(kept, { recursive: true, force: true });
  const outcome = (name: string) => lines.find((line) => line.includes(` ${name} `))?.split(/\s+/)[1];
  assert.equal(outcome('fixture-refused'), 'refused');
  assert.equal(outcome('fixture-writes-outside'), 'leaked');
  assert.equal(outcome('fixture-canary-in-data-dir'), 'leaked');
  assert.equal(outcome('fixture-contacts-forbidden-address'), 'leaked');
  assert.equal(outcome('fixture-dies'), 'crashed');
  assert.equal(outcome('fixture-hangs'), 'hung');
  assert.equal(lines.at(-1), 'hostile: probes=6 refused=1 crashed=1 leaked=3 hung=1');
  assert.equal(run.status, 1);
});
